"""Catalog search that finds what citizens type (cchc.catalog.search).

The query table runs against the real sample catalog, loaded through the importer as ``load-demo``
does, so it holds for the catalog citizens see in the demo. The other tests build small catalogs
to pin one rule each: ranking instead of filtering, the weight of each part, phrase proximity,
synonyms and filler words, diacritics, suggestions when nothing matches.
"""

import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connection, transaction
from django.test import Client
from rest_framework.test import APIClient

from cchc.catalog import importing, search
from cchc.catalog.models import Field, Procedure, SearchSynonym, TimeUnit
from cchc.catalog.synonyms import FILLERS, SYNONYMS

LIST_URL = "/thu-tuc/"
API_URL = "/api/v1/procedures/"


# -- the demo catalog ---------------------------------------------------------------------------
@pytest.fixture(scope="class")
def demo_catalog(django_db_setup, django_db_blocker):
    """The sample catalog imported once for the class, rolled back at its end."""
    from cchc.demo.province import load_catalog, load_units

    with django_db_blocker.unblock(), transaction.atomic():
        report = load_catalog(load_units())
        assert report.written, report.errors
        yield report
        transaction.set_rollback(True)


def top(query: str, count: int = 3) -> list[str]:
    return list(Procedure.objects.active().search(query).values_list("code", flat=True)[:count])


# (query as citizens type it, the procedure they want, within how many first results)
QUERIES = [
    ("giay khai sinh", "1.001193", 3),
    ("giấy khai sinh", "1.001193", 3),
    ("lam giay khai sinh", "1.001193", 3),
    ("Làm giấy khai sinh cho con như thế nào?", "1.001193", 3),
    ("khai sinh", "1.001193", 1),
    ("bản sao giấy khai sinh", "2.000635", 1),
    ("đăng ký lại khai sinh", "1.004884", 1),
    ("khai tu", "1.000656", 1),
    ("giấy chứng tử", "1.000656", 3),
    ("giay dang ky ket hon", "1.000894", 1),
    ("thủ tục đăng ký kết hôn", "1.000894", 1),
    ("giay doc than", "1.004873", 1),
    ("xác nhận tình trạng hôn nhân", "1.004873", 1),
    ("nhan con nuoi", "2.001263", 1),
    ("so do", "1.013978", 3),
    ("sổ hồng", "1.013978", 3),
    ("mất sổ đỏ", "1.012786", 1),
    ("tách sổ đỏ", "1.012784", 1),
    ("đính chính sổ đỏ", "1.012790", 1),
    ("the chap so do", "1.011441", 1),
    ("xin giay phep xay dung", "1.013225", 3),
    ("cap lai giay phep xay dung", "1.013228", 1),
    ("hộ khẩu", "1.004222", 3),
    ("nhập hộ khẩu", "1.004222", 1),
    ("cắt hộ khẩu", "1.003197", 1),
    ("dang ky tam tru", "1.004194", 1),
    ("KT3", "1.004194", 3),
    ("gia han tam tru", "1.002755", 1),
    ("tam vang", "1.003677", 1),
    ("xin xác nhận cư trú", "1.010041", 1),
    ("bao hiem y te", "1.001939", 3),
    ("bhxh mot lan", "1.001613", 1),
    ("om dau", "1.001667", 1),
    ("cong chung", "2.000815", 1),
    ("sao y bản chính", "2.000815", 1),
    ("cong chung chu ky", "2.000884", 1),
    ("chung thuc di chuc", "2.001019", 1),
    ("giấy phép kinh doanh", "1.001612", 3),
    ("mở quán ăn", "1.001612", 3),
    ("tam ngung ho kinh doanh", "1.001570", 1),
    ("thanh lap doanh nghiep tu nhan", "2.001610", 1),
    ("1.001193", "1.001193", 1),
]


@pytest.mark.django_db
class TestDemoCatalog:
    """Against the sample catalog as the demo loads it."""

    @pytest.mark.parametrize(("query", "code", "within"), QUERIES)
    def test_citizen_queries_find_the_procedure(self, demo_catalog, query, code, within):
        assert code in top(query, within), top(query, 5)

    @pytest.mark.parametrize("query", ["giay khai sinh", "giấy khai sinh", "lam giay khai sinh"])
    def test_birth_registration_among_the_first_three_on_the_page(self, demo_catalog, query):
        """The home page's own example and its unaccented, filler-word forms (issue 9)."""
        response = Client().get(LIST_URL, {"q": query})
        names = [procedure.name for procedure in response.context["page"].object_list]
        assert "Đăng ký khai sinh" in names[:3], names[:5]

    def test_every_sample_procedure_has_its_result(self, demo_catalog):
        """The result (kết quả thực hiện) is imported: citizens search by the paper they receive."""
        assert not Procedure.objects.filter(result="").exists()
        birth = Procedure.objects.get(code="1.001193")
        assert "giay khai sinh" in birth.search_document.split("\n")[search.RESULT]

    def test_api_ranks_the_same_way(self, demo_catalog):
        data = APIClient().get(API_URL, {"q": "lam giay khai sinh"}).json()
        assert data["results"][0]["code"] == "1.001193"
        assert data["count"] >= 3


# -- small catalogs: one rule each ---------------------------------------------------------------
def make(code, name, field, **extra):
    defaults = {"time_limit_amount": 5, "time_limit_unit": TimeUnit.WORKING_DAYS}
    return Procedure.objects.create(code=code, name=name, field=field, **{**defaults, **extra})


@pytest.fixture
def civil():
    return Field.objects.create(name="Hộ tịch")


@pytest.mark.django_db
def test_not_every_word_needs_to_match(civil):
    make("1.000001", "Đăng ký kết hôn", civil)
    make("1.000002", "Đăng ký khai tử", civil)
    # "lưu động" is nowhere; the procedure matching the other words still comes first.
    assert top("đăng ký kết hôn lưu động") == ["1.000001", "1.000002"]


@pytest.mark.django_db
def test_name_outweighs_result_outweighs_field_and_agency():
    field = Field.objects.create(name="Tài nguyên")
    make("1.000011", "Thủ tục B", field, implementing_agency="Phòng giấy phép khai thác")
    make("1.000012", "Thủ tục C", field, result="Giấy phép khai thác")
    make("1.000013", "Cấp giấy phép khai thác", field)
    assert top("giay phep khai thac", 4) == ["1.000013", "1.000012", "1.000011"]


def test_each_part_weighs_less_than_the_one_before():
    document = search.Document.parse(
        search.build_document(
            name="ten", result="ket qua", field_name="linh vuc", agency="co quan",
            applicants="doi tuong", conditions="dieu kien",
        )
    )  # fmt: skip
    values = [document.word_value(word) for word in ("ten", "qua", "vuc", "quan", "doi", "kien")]
    assert values == [10, 6, 3, 3, 1, 1]
    assert document.word_value("dieu") == 1 and document.word_value("khac") == 0


@pytest.mark.django_db
def test_words_together_rank_before_scattered_words(civil):
    make("1.000020", "Cấp bản sao trích lục, xác nhận giấy tờ khai báo sinh hoạt", civil)
    make("1.000021", "Cấp giấy tờ, bản sao trích lục khai sinh", civil)
    # Both names hold "khai" and "sinh"; only the second holds them as one phrase.
    assert top("khai sinh", 2) == ["1.000021", "1.000020"]


@pytest.mark.django_db
def test_diacritics_case_and_d_are_ignored(civil):
    make("1.000030", "ĐĂNG KÝ GIÁM HỘ", civil)
    for query in ("dang ky giam ho", "Đăng ký giám hộ", "đăNG KÝ GIAM HO", "DANG-KY, giam ho!"):
        assert top(query, 1) == ["1.000030"], query


@pytest.mark.django_db
def test_a_word_being_typed_matches_as_a_prefix(civil):
    make("1.000040", "Chứng thực di chúc", civil)
    assert top("chung thu di", 1) == ["1.000040"]


@pytest.mark.django_db
def test_synonym_adds_the_catalog_wording_and_keeps_the_citizen_words():
    land = Field.objects.create(name="Đất đai")
    make("1.000050", "Cấp Giấy chứng nhận quyền sử dụng đất lần đầu", land)
    make("1.000051", "Sửa sổ theo dõi", land)
    assert top("so do", 1) == ["1.000050"]
    SearchSynonym.objects.filter(search_phrase="so do").delete()
    # Without the synonym the words are searched as typed.
    assert top("so do", 1) == ["1.000051"]


@pytest.mark.django_db
def test_synonyms_are_editable_and_apply_at_once(civil):
    make("1.000060", "Đăng ký giám hộ", civil)
    assert top("người đỡ đầu") == []
    SearchSynonym.objects.create(phrase="Người đỡ đầu", means="giám hộ")
    assert top("nguoi do dau") == ["1.000060"]


@pytest.mark.django_db
def test_filler_words_are_ignored_but_a_filler_only_query_still_searches(civil):
    make("1.000070", "Thủ tục cấp bản sao", civil)
    make("1.000071", "Cấp phép làm việc", civil)
    query = search.parse("xin cấp bản sao ở đâu", search.Vocabulary.load())
    assert query.typed == ("ban", "sao")
    assert top("xin cấp bản sao ở đâu", 1) == ["1.000070"]
    assert set(top("thủ tục", 5)) == {"1.000070"}


def test_a_word_with_diacritics_is_not_taken_for_a_filler_with_other_diacritics():
    vocab = search.Vocabulary(
        synonyms={("so", "do"): [("giay", "chung", "nhan")]},
        accented={("lam",): ("làm",), ("so", "do"): ("sổ", "đỏ")},
        fillers=frozenset({("lam",)}),
    )
    assert search.parse("làm giấy", vocab).typed == ("giay",)
    assert search.parse("lam giay", vocab).typed == ("giay",)
    assert search.parse("lâm nghiệp", vocab).typed == ("lam", "nghiep")  # forestry stays
    assert len(search.parse("so do", vocab).concepts[0].alternatives) == 2
    assert len(search.parse("sổ đỏ", vocab).concepts[0].alternatives) == 2
    assert len(search.parse("số độ", vocab).concepts[0].alternatives) == 1  # other words


def test_seed_table_has_the_common_citizen_words():
    phrases = {phrase for phrase, _means in SYNONYMS}
    expected = {"sổ đỏ", "sổ hồng", "làm giấy khai sinh", "khai tử", "giấy đăng ký kết hôn"}
    expected |= {"giấy độc thân", "hộ khẩu", "công chứng", "sao y", "giấy phép kinh doanh"}
    assert expected <= phrases
    for filler in ("làm", "xin", "cấp", "thủ tục", "như thế nào", "ở đâu"):
        assert filler in FILLERS


@pytest.mark.django_db
def test_the_synonym_table_is_seeded():
    assert SearchSynonym.objects.filter(search_phrase="so do", means__icontains="quyền").exists()
    assert SearchSynonym.objects.filter(search_phrase="nhu the nao", means="").exists()


@pytest.mark.django_db
def test_filters_still_apply_to_a_ranked_search(civil):
    land = Field.objects.create(name="Đất đai")
    make("1.000080", "Đăng ký khai sinh", civil)
    make("1.000081", "Đăng ký đất đai", land)
    response = Client().get(LIST_URL, {"q": "dang ky", "field": land.pk})
    assert [p.code for p in response.context["page"].object_list] == ["1.000081"]


@pytest.mark.django_db
def test_code_prefix(civil):
    make("1.000090", "A", civil)
    make("1.000091", "B", civil)
    make("2.000090", "C", civil)
    assert top("1.00009", 5) == ["1.000090", "1.000091"]


# -- keeping the search document up to date ------------------------------------------------------
@pytest.mark.django_db
def test_document_follows_the_procedure_and_its_field(civil):
    procedure = make("1.000100", "Đăng ký giám hộ", civil, result="Trích lục giám hộ")
    assert top("trich luc") == ["1.000100"]
    procedure.result = "Quyết định công nhận"
    procedure.save()
    assert top("trich luc") == []
    civil.name = "Tư pháp – Hộ tịch"
    civil.save()
    procedure.refresh_from_db()
    assert "tu phap" in procedure.search_document


@pytest.mark.django_db
def test_importer_reads_the_national_result_column():
    Field.objects.create(name="Hộ tịch")
    record = {
        "Mã thủ tục": "1.000110",
        "Tên thủ tục": "Đăng ký nhận cha, mẹ, con",
        "Lĩnh vực": "Hộ tịch",
        "Cấp thực hiện": "Cấp xã",
        "Số lượng thời hạn": 3,
        "Đơn vị thời hạn": "Ngày làm việc",
        "Kết quả thực hiện": "Trích lục đăng ký nhận cha, mẹ, con",
    }
    report = importing.import_file(json.dumps([record]).encode(), "catalog.json")
    assert report.written, report.errors
    procedure = Procedure.objects.get(code="1.000110")
    assert procedure.result == "Trích lục đăng ký nhận cha, mẹ, con"
    assert top("trich luc nhan cha me con", 1) == ["1.000110"]


# -- nothing found ------------------------------------------------------------------------------
@pytest.mark.django_db
def test_no_result_suggests_the_closest_procedures_and_the_fields(civil):
    make("1.000120", "Đăng ký tạm trú", Field.objects.create(name="Cư trú"))
    make("1.000121", "Đăng ký khai sinh", civil)
    response = Client().get(LIST_URL, {"q": "khaisinh"})
    assert response.context["total"] == 0
    suggestions = response.context["suggestions"]
    assert [p.code for p in suggestions.procedures] == ["1.000121"]
    assert {field.name for field in suggestions.fields} == {"Hộ tịch", "Cư trú"}
    html = response.content.decode()
    assert 'id="search-suggestions"' in html
    assert "/thu-tuc/1.000121/" in html
    assert f"?field={civil.pk}" in html


@pytest.mark.django_db
def test_a_typo_suggests_the_procedure(civil):
    make("1.000130", "Đăng ký tạm trú", civil)
    assert [p.code for p in Procedure.objects.filter(pk__in=search.suggest(
        Procedure.objects.all(), "tamtru"))] == ["1.000130"]  # fmt: skip


@pytest.mark.django_db
def test_no_suggestions_without_a_query_or_with_results(civil):
    make("1.000140", "Đăng ký khai sinh", civil)
    assert Client().get(LIST_URL).context["suggestions"] is None
    assert Client().get(LIST_URL, {"q": "khai sinh"}).context["suggestions"] is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    ["%", "_", "' or 1=1 --", "ư" * 300, "!!!", "a b c d e f g h i j k l m n"],
    ids=["percent", "underscore", "quote", "long", "punctuation", "many-words"],
)
def test_odd_queries_do_not_fail(civil, query):
    make("1.000150", "Đăng ký khai sinh", civil)
    assert Client().get(LIST_URL, {"q": query}).status_code == 200
    assert APIClient().get(API_URL, {"q": query}).status_code == 200


# -- the admin ----------------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_catalog_officer_edits_synonyms_in_the_admin(civil):
    make("1.000160", "Đăng ký giám hộ", civil)
    user = get_user_model().objects.create_user(username="danhmuc", password="x", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            codename__endswith="searchsynonym", content_type__app_label="catalog"
        )
    )
    client = Client()
    client.force_login(user)
    assert client.get("/quan-tri/catalog/searchsynonym/").status_code == 200
    response = client.post(
        "/quan-tri/catalog/searchsynonym/add/", {"phrase": "Người đỡ đầu", "means": "giám hộ"}
    )
    assert response.status_code == 302
    assert top("nguoi do dau") == ["1.000160"]
    # The same synonym twice is refused with a field error, not a database error.
    response = client.post(
        "/quan-tri/catalog/searchsynonym/add/", {"phrase": "người đỡ đầu", "means": "giám hộ"}
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["phrase"]


# -- PostgreSQL ----------------------------------------------------------------------------------
@pytest.mark.django_db
def test_postgresql_has_the_trigram_index():
    if connection.vendor != "postgresql":
        pytest.skip("the trigram index is created on PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'catalog_procedure_search_trgm'"
        )
        (definition,) = cursor.fetchone()
    assert "gin_trgm_ops" in definition


@pytest.mark.django_db
def test_a_word_typed_with_diacritics_prefers_the_same_word(civil):
    land = Field.objects.create(name="Đất đai")
    make("1.000170", "Đăng ký đất đai cho hộ gia đình", land)
    make("1.000171", "Đính chính giấy chứng nhận", land)
    # "đính" and "đình" fold to the same letters; typed with diacritics, the same word wins.
    assert top("đính", 2) == ["1.000171", "1.000170"]
    assert top("đình", 2) == ["1.000170", "1.000171"]
