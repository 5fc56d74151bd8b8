"""The words citizens use for the catalog's procedures: the seed of the editable synonym table.

Seeded by a data migration (catalog 0004) and editable afterwards in the admin ("Search
synonyms"). A row with an empty meaning is a filler word or phrase the search ignores. Phrases
are matched on whole words, diacritics and case ignored, longest phrase first; a synonym adds the
catalog's wording as an alternative, so the citizen's own words still count.
"""

from .search import words

SYNONYMS: tuple[tuple[str, str], ...] = (
    # Land (đất đai): the certificate's popular names.
    ("sổ đỏ", "giấy chứng nhận quyền sử dụng đất"),
    ("sổ hồng", "giấy chứng nhận quyền sử dụng đất"),
    ("sổ hồng", "quyền sở hữu nhà ở"),
    ("bìa đỏ", "giấy chứng nhận quyền sử dụng đất"),
    ("sổ địa chính", "giấy chứng nhận quyền sử dụng đất"),
    ("mất sổ đỏ", "cấp lại giấy chứng nhận do bị mất"),
    ("đính chính sổ đỏ", "đính chính giấy chứng nhận"),
    ("thế chấp", "biện pháp bảo đảm"),
    ("thế chấp sổ đỏ", "đăng ký biện pháp bảo đảm bằng quyền sử dụng đất"),
    ("xóa thế chấp", "xóa đăng ký biện pháp bảo đảm"),
    ("giải chấp", "xóa đăng ký biện pháp bảo đảm"),
    ("tách sổ", "tách thửa"),
    ("gộp sổ", "hợp thửa"),
    ("sang tên", "chuyển nhượng quyền sử dụng đất"),
    ("mua bán đất", "chuyển nhượng quyền sử dụng đất"),
    ("cho tặng đất", "tặng cho quyền sử dụng đất"),
    ("thừa kế đất", "thừa kế quyền sử dụng đất"),
    # Construction.
    ("giấy phép xây dựng", "cấp giấy phép xây dựng mới"),
    ("xin phép xây dựng", "cấp giấy phép xây dựng mới"),
    ("phép xây dựng", "cấp giấy phép xây dựng mới"),
    ("xây nhà", "cấp giấy phép xây dựng mới nhà ở riêng lẻ"),
    ("sửa nhà", "giấy phép xây dựng sửa chữa cải tạo"),
    # Civil status (hộ tịch).
    ("giấy khai sinh", "đăng ký khai sinh"),
    ("làm giấy khai sinh", "đăng ký khai sinh"),
    ("làm khai sinh", "đăng ký khai sinh"),
    ("khai sinh cho con", "đăng ký khai sinh"),
    ("giấy chứng sinh", "đăng ký khai sinh"),
    ("khai tử", "đăng ký khai tử"),
    ("báo tử", "đăng ký khai tử"),
    ("giấy chứng tử", "đăng ký khai tử"),
    ("giấy báo tử", "đăng ký khai tử"),
    ("giấy đăng ký kết hôn", "đăng ký kết hôn"),
    ("giấy kết hôn", "đăng ký kết hôn"),
    ("hôn thú", "đăng ký kết hôn"),
    ("giấy chứng nhận kết hôn", "đăng ký kết hôn"),
    ("giấy độc thân", "xác nhận tình trạng hôn nhân"),
    ("xác nhận độc thân", "xác nhận tình trạng hôn nhân"),
    ("độc thân", "xác nhận tình trạng hôn nhân"),
    ("sửa tên", "thay đổi cải chính thông tin hộ tịch"),
    ("đổi tên", "thay đổi cải chính thông tin hộ tịch"),
    ("sửa giấy khai sinh", "cải chính thông tin hộ tịch"),
    ("nhận con nuôi", "nuôi con nuôi"),
    ("nhận cha con", "nhận cha mẹ con"),
    # Residence (cư trú): the household book and KT3 were abolished on 1/1/2023 (Luật Cư trú
    # 2020, Điều 38) but citizens still ask for them.
    ("hộ khẩu", "thường trú"),
    ("sổ hộ khẩu", "thường trú"),
    ("nhập hộ khẩu", "đăng ký thường trú"),
    ("chuyển hộ khẩu", "đăng ký thường trú"),
    ("cắt hộ khẩu", "xóa đăng ký thường trú"),
    ("sổ tạm trú", "tạm trú"),
    ("kt3", "đăng ký tạm trú"),
    ("khai báo tạm trú", "đăng ký tạm trú"),
    # Certification (chứng thực): what notaries do is asked for at the commune.
    ("công chứng", "chứng thực bản sao"),
    ("công chứng hợp đồng", "chứng thực hợp đồng giao dịch"),
    ("sao y", "chứng thực bản sao"),
    ("sao y bản chính", "chứng thực bản sao từ bản chính"),
    ("photo công chứng", "chứng thực bản sao"),
    ("công chứng chữ ký", "chứng thực chữ ký"),
    ("công chứng di chúc", "chứng thực di chúc"),
    # Business.
    ("giấy phép kinh doanh", "giấy chứng nhận đăng ký hộ kinh doanh"),
    ("giấy phép kinh doanh", "giấy chứng nhận đăng ký doanh nghiệp"),
    ("đăng ký kinh doanh", "đăng ký hộ kinh doanh"),
    ("mở quán", "đăng ký thành lập hộ kinh doanh"),
    ("mở cửa hàng", "đăng ký thành lập hộ kinh doanh"),
    ("mở công ty", "đăng ký thành lập doanh nghiệp"),
    ("thành lập công ty", "đăng ký thành lập doanh nghiệp"),
    ("đóng cửa hàng", "chấm dứt hoạt động hộ kinh doanh"),
    ("nghỉ kinh doanh", "tạm ngừng kinh doanh"),
    # Social and health insurance: the catalog names them by their abbreviations too.
    ("bảo hiểm y tế", "bhyt"),
    ("thẻ bảo hiểm y tế", "cấp thẻ bhyt"),
    ("bhyt", "bảo hiểm y tế"),
    ("bảo hiểm xã hội", "bhxh"),
    ("bhxh", "bảo hiểm xã hội"),
    # Identity and justice records.
    ("lý lịch", "lý lịch tư pháp"),
    ("cccd", "căn cước"),
    ("cmnd", "căn cước"),
    ("chứng minh nhân dân", "căn cước"),
    ("bằng lái", "giấy phép lái xe"),
    ("gplx", "giấy phép lái xe"),
)

FILLERS: tuple[str, ...] = (
    "làm", "xin", "cấp", "thủ tục", "như thế nào", "thế nào", "ra sao", "ở đâu", "đâu",
    "cần", "gì", "những", "cần những gì", "giấy tờ gì", "hồ sơ gồm", "bao lâu", "mất bao lâu",
    "muốn", "tôi", "em", "mình", "cho", "của", "ở", "tại", "và", "với", "là", "có", "được",
    "không", "hỏi", "cách", "hướng dẫn", "nộp", "đi", "về", "việc", "thì", "phải",
)  # fmt: skip


def seed(model) -> int:
    """Add the rows above that ``model`` (SearchSynonym, current or historical) lacks; returns
    how many were added (two queries). The migration seeds once; a row an administrator later
    removes stays removed unless ``seed`` is called again (tests do, after a flush)."""
    rows = [*SYNONYMS, *((phrase, "") for phrase in FILLERS)]
    present = set(model.objects.values_list("search_phrase", "means"))
    missing = {}
    for phrase, means in rows:
        key = (" ".join(words(phrase)), means)
        if key not in present and key not in missing:
            missing[key] = model(phrase=phrase, means=means, search_phrase=key[0])
    model.objects.bulk_create(missing.values())
    return len(missing)
