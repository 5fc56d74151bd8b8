"""Demo feedback: about thirty records in every state, made through the real services.

Each action runs with the clock moved to the moment it happens (``time_machine``, as the dossier
demo does), so due times, late answers and the event log are what real use would produce. Texts are
realistic but fictional; senders are invented. Loading is idempotent: a second run adds nothing.
Needs the demo units and users (``cchc.demo.province``); uses the demo dossiers when there are some.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cchc.catalog.models import Procedure
from cchc.dossiers.models import Dossier, Status
from cchc.feedback import services
from cchc.feedback.models import Category, Feedback, FeedbackRating, SubjectKind
from cchc.organisations.models import OrganisationUnit, Role, RoleAssignment
from cchc.workdays import services as workdays

from .clock import travel

CENTRE = "000.01.31.H99"  # Trung tâm Phục vụ hành chính công phường Đông Thành
COMMUNE = "000.00.31.H99"  # Ủy ban nhân dân phường Đông Thành
JUSTICE = "000.00.15.H99"  # Sở Tư pháp
CITIZEN = "congdan"

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Đức", "Thu", "Quang", "Thanh", "Hữu"]
GIVEN = ["An", "Bình", "Cường", "Dung", "Giang", "Hạnh", "Khánh", "Linh", "Phúc", "Quân", "Tâm"]
STREETS = ["Lê Lợi", "Trần Hưng Đạo", "Nguyễn Trãi", "Hai Bà Trưng", "Quang Trung"]


@dataclass(frozen=True)
class Topic:
    subject: str
    category: str
    title: str
    content: str
    answer: str
    unit: str = COMMUNE  # where it goes when no dossier or single-unit procedure decides
    procedure: str = ""
    officer: str = ""


TOPICS = {
    "late": Topic(
        SubjectKind.DOSSIER,
        Category.PROCESSING_TIME,
        "Hồ sơ quá hẹn trả kết quả nhưng chưa được thông báo",
        "Tôi đã nộp hồ sơ tại Trung tâm Phục vụ hành chính công phường. Đến ngày hẹn trả kết quả "
        "tôi đến nhận nhưng hồ sơ chưa giải quyết xong, cũng không nhận được văn bản xin lỗi hay "
        "hẹn lại ngày trả. Đề nghị Trung tâm kiểm tra và cho biết khi nào có kết quả.",
        "Trung tâm Phục vụ hành chính công phường Đông Thành đã kiểm tra hồ sơ. Hồ sơ phải xác "
        "minh thêm thông tin với cơ quan liên quan nên chậm so với giấy hẹn. Trung tâm xin lỗi vì "
        "chưa kịp thời gửi văn bản hẹn lại; kết quả đã sẵn sàng để trả. Trung tâm đã chấn chỉnh "
        "việc thông báo hẹn lại theo đúng quy định.",
        unit=CENTRE,
    ),
    "extra_papers": Topic(
        SubjectKind.DOSSIER,
        Category.OFFICER_CONDUCT,
        "Yêu cầu nộp thêm giấy tờ không có trong thủ tục",
        "Khi tiếp nhận hồ sơ, cán bộ yêu cầu tôi nộp thêm bản sao có chứng thực giấy tờ đã có "
        "trong cơ sở dữ liệu quốc gia về dân cư. Tôi đề nghị cho biết yêu cầu này có đúng quy "
        "định không.",
        "Qua kiểm tra, thành phần hồ sơ của thủ tục không yêu cầu bản sao giấy tờ mà thông tin đã "
        "được khai thác từ Cơ sở dữ liệu quốc gia về dân cư. Trung tâm đã nhắc nhở cán bộ tiếp "
        "nhận và hướng dẫn lại quy trình khai thác dữ liệu. Trung tâm cảm ơn phản ánh của Ông/Bà.",
        unit=CENTRE,
    ),
    "upload": Topic(
        SubjectKind.DOSSIER,
        Category.ONLINE_SERVICE,
        "Không tải được tệp đính kèm khi nộp bổ sung trực tuyến",
        "Tôi được yêu cầu bổ sung hồ sơ trực tuyến nhưng khi tải tệp ảnh chụp giấy tờ lên hệ "
        "thống thì báo lỗi. Đề nghị hướng dẫn cách nộp bổ sung để hồ sơ không bị quá hạn.",
        "Hệ thống chỉ nhận tệp PDF, JPG hoặc PNG dung lượng không quá 10 MB. Ông/Bà vui lòng "
        "chụp lại giấy tờ ở độ phân giải thấp hơn hoặc chuyển sang PDF rồi tải lại; thời gian chờ "
        "bổ sung không tính vào thời hạn giải quyết hồ sơ.",
        unit=CENTRE,
    ),
    "fee": Topic(
        SubjectKind.DOSSIER,
        Category.FEES,
        "Mức thu lệ phí khác với mức niêm yết",
        "Tôi nộp hồ sơ và được thu lệ phí cao hơn mức niêm yết tại bảng công khai thủ tục hành "
        "chính ở Trung tâm. Đề nghị kiểm tra và hoàn trả phần chênh lệch nếu thu sai.",
        "Trung tâm đã đối chiếu biên lai: mức thu đúng theo Nghị quyết của Hội đồng nhân dân tỉnh "
        "về phí, lệ phí hiện hành; bảng niêm yết tại quầy là bản cũ chưa cập nhật. Trung tâm đã "
        "thay bảng niêm yết và xin lỗi Ông/Bà vì thông tin chưa chính xác.",
        unit=CENTRE,
    ),
    "residence": Topic(
        SubjectKind.PROCEDURE,
        Category.PROCEDURE_CONTENT,
        "Đề nghị đơn giản hóa giấy tờ chứng minh chỗ ở hợp pháp",
        "Khi đăng ký thường trú, người dân phải nộp giấy tờ chứng minh chỗ ở hợp pháp dù thông tin "
        "nhà đất đã có trong cơ sở dữ liệu. Đề nghị nghiên cứu đơn giản hóa thành phần hồ sơ này.",
        "Thành phần hồ sơ đăng ký thường trú được quy định tại Luật Cư trú và văn bản hướng dẫn. "
        "Ủy ban nhân dân phường ghi nhận kiến nghị và đã tổng hợp vào báo cáo rà soát, đơn giản "
        "hóa thủ tục hành chính gửi cơ quan có thẩm quyền. Trường hợp thông tin đã khai thác được "
        "từ cơ sở dữ liệu, cán bộ không yêu cầu nộp lại giấy tờ.",
        procedure="1.004222",
    ),
    "copy_time": Topic(
        SubjectKind.PROCEDURE,
        Category.PROCESSING_TIME,
        "Thời gian cấp bản sao trích lục hộ tịch",
        "Tôi cần bản sao trích lục khai sinh để bổ sung hồ sơ du học nhưng được hẹn nhiều ngày. "
        "Đề nghị cho biết thời hạn giải quyết theo quy định và có thể nhận ngay trong ngày không.",
        "Việc cấp bản sao trích lục hộ tịch được giải quyết ngay trong ngày tiếp nhận; trường hợp "
        "nhận hồ sơ sau 15 giờ thì trả kết quả trong ngày làm việc tiếp theo. Sở Tư pháp đã đề "
        "nghị bộ phận tiếp nhận thực hiện đúng thời hạn này.",
        unit=JUSTICE,
        procedure="2.000635",
    ),
    "marriage_fee": Topic(
        SubjectKind.PROCEDURE,
        Category.FEES,
        "Hỏi về lệ phí đăng ký kết hôn",
        "Tôi muốn hỏi việc đăng ký kết hôn tại Ủy ban nhân dân phường có phải nộp lệ phí không và "
        "nếu nộp trực tuyến thì có được giảm lệ phí không.",
        "Mức thu lệ phí hộ tịch do Hội đồng nhân dân tỉnh quyết định và được công khai tại trang "
        "thủ tục hành chính của hệ thống. Ông/Bà có thể xem mục Phí, lệ phí của thủ tục Đăng ký "
        "kết hôn; nộp trực tuyến được áp dụng mức thu ưu đãi nếu Nghị quyết có quy định.",
        procedure="1.000894",
    ),
    "attitude": Topic(
        SubjectKind.OFFICER,
        Category.OFFICER_CONDUCT,
        "Thái độ tiếp dân chưa đúng mực",
        "Sáng nay tôi đến nộp hồ sơ, cán bộ tại quầy trả lời cộc lốc, không hướng dẫn cụ thể "
        "những giấy tờ còn thiếu mà chỉ bảo về nhà tự tìm hiểu. Đề nghị lãnh đạo xem xét.",
        "Lãnh đạo Ủy ban nhân dân phường đã làm việc với cán bộ được phản ánh, yêu cầu rút kinh "
        "nghiệm và thực hiện đúng quy tắc ứng xử khi tiếp công dân. Phường cảm ơn Ông/Bà đã phản "
        "ánh và mong tiếp tục nhận được góp ý.",
        unit=CENTRE,
        officer="Cán bộ quầy số 2",
    ),
    "praise": Topic(
        SubjectKind.OFFICER,
        Category.OTHER,
        "Cảm ơn cán bộ hướng dẫn tận tình",
        "Tôi là người cao tuổi, không rành thao tác trên điện thoại. Cán bộ tại quầy đã hướng dẫn "
        "tôi nộp hồ sơ trực tuyến rất tận tình. Xin gửi lời cảm ơn tới cán bộ và Trung tâm.",
        "Ủy ban nhân dân phường trân trọng cảm ơn Ông/Bà. Phường sẽ tiếp tục nhân rộng cách làm "
        "hỗ trợ người cao tuổi nộp hồ sơ trực tuyến tại Trung tâm.",
        unit=CENTRE,
        officer="Cán bộ quầy số 1",
    ),
    "waiting_room": Topic(
        SubjectKind.OTHER,
        Category.OTHER,
        "Đề nghị bố trí thêm ghế chờ và máy lấy số",
        "Vào đầu tuần, khu vực chờ tại Trung tâm thường quá tải, nhiều người phải đứng chờ lâu. "
        "Đề nghị bố trí thêm ghế và máy lấy số thứ tự tự động.",
        "Ủy ban nhân dân phường đã bố trí thêm 20 ghế chờ và lắp đặt máy lấy số thứ tự tự động tại "
        "Trung tâm. Người dân cũng có thể đặt lịch hẹn trực tuyến để giảm thời gian chờ.",
    ),
    "land_dispute": Topic(
        SubjectKind.OTHER,
        Category.OTHER,
        "Tranh chấp ranh giới đất với hộ liền kề",
        "Gia đình tôi và hộ liền kề có tranh chấp về ranh giới thửa đất. Đề nghị chính quyền "
        "giải quyết dứt điểm để gia đình tôi làm thủ tục cấp giấy chứng nhận.",
        "",
    ),
    "fine_complaint": Topic(
        SubjectKind.OTHER,
        Category.OTHER,
        "Không đồng ý quyết định xử phạt vi phạm hành chính",
        "Tôi không đồng ý với quyết định xử phạt vi phạm hành chính về trật tự xây dựng mà tôi đã "
        "nhận. Đề nghị xem xét lại quyết định này.",
        "",
    ),
    "copy_forward": Topic(
        SubjectKind.OTHER,
        Category.PROCEDURE_CONTENT,
        "Xin bản sao giấy khai sinh đăng ký tại Sở Tư pháp",
        "Việc khai sinh của tôi được đăng ký tại Sở Tư pháp trước đây. Tôi gửi phản ánh đến phường "
        "để hỏi nơi xin cấp bản sao giấy khai sinh và giấy tờ cần mang theo.",
        "Ông/Bà có thể đề nghị cấp bản sao trích lục khai sinh tại Sở Tư pháp hoặc nộp trực tuyến "
        "trên Cổng dịch vụ công; cần xuất trình giấy tờ tùy thân. Kết quả được trả trong ngày.",
    ),
}

# (topic, plan, days ago): 30 records in every state, from a few hours to two months old.
PLAN = [
    ("waiting_room", "received", 0.2),
    ("attitude", "received", 0.6),
    ("upload", "received", 1.2),
    ("marriage_fee", "received", 2.5),
    ("late", "classified", 3),
    ("residence", "classified", 6),
    ("extra_papers", "classified", 17),
    ("fee", "classified", 19),
    ("late", "overdue", 30),
    ("residence", "overdue", 38),
    ("attitude", "overdue", 45),
    ("upload", "answered", 9),
    ("waiting_room", "answered", 12),
    ("copy_time", "answered", 14),
    ("late", "published", 20),
    ("extra_papers", "published", 26),
    ("marriage_fee", "published", 33),
    ("copy_time", "published", 41),
    ("residence", "published_late", 55),
    ("praise", "satisfied", 24),
    ("upload", "satisfied", 36),
    ("waiting_room", "satisfied", 48),
    ("copy_time", "satisfied", 58),
    ("fee", "dissatisfied", 40),
    ("late", "dissatisfied", 52),
    ("attitude", "neutral", 44),
    ("land_dispute", "rejected", 15),
    ("fine_complaint", "rejected", 34),
    ("copy_forward", "forwarded", 27),
    ("copy_forward", "forwarded_open", 4),
]


@dataclass
class Team:
    classifier: object
    handler: object
    leader: object
    rejecter: object


def _team(unit: OrganisationUnit) -> Team | None:
    assignments = list(
        RoleAssignment.objects.filter(active=True, user__is_superuser=False)
        .select_related("unit", "user")
        .order_by("-unit__depth", "user__username")
    )

    def pick(role):
        for assignment in assignments:
            if assignment.role == role and unit.path.startswith(assignment.unit.path):
                return assignment.user
        return None

    handler = pick(Role.PROCESSING_OFFICER) or pick(Role.ONE_STOP_OFFICER)
    leader = pick(Role.LEADER)
    if handler is None or leader is None:
        return None
    classifier = pick(Role.ONE_STOP_OFFICER) or handler
    return Team(classifier, handler, leader, pick(Role.ONE_STOP_OFFICER) or leader)


def _sender(rng: random.Random) -> services.Sender:
    name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    email = f"nguoidan{rng.randint(100, 999)}@example.com" if rng.random() < 0.4 else ""
    return services.Sender(
        name=name,
        phone=f"09{rng.randint(10**7, 10**8 - 1)}",
        email=email,
        address=f"Số {rng.randint(1, 300)} đường {rng.choice(STREETS)}, phường Đông Thành",
    )


def load_feedback(now: datetime | None = None, seed: int = 766) -> int:
    """Create the demo feedback once; returns how many were created (0 on a second run)."""
    if Feedback.objects.exists():
        return 0
    units = {
        unit.code: unit
        for unit in OrganisationUnit.objects.filter(code__in=[CENTRE, COMMUNE, JUSTICE])
    }
    if len(units) < 3:
        return 0  # the demo province is not loaded
    now = now or timezone.now()
    rng = random.Random(seed)
    citizen = get_user_model().objects.filter(username=CITIZEN).first()
    with transaction.atomic():  # all or nothing, so a failed run can simply be repeated
        for topic_key, plan, days_ago in PLAN:
            _one(TOPICS[topic_key], plan, days_ago, units, citizen, now, rng)
        return len(PLAN)


def _working_moment(engine, moment: datetime) -> datetime:
    local = engine.effective_received(workdays.to_local_naive(moment))
    return workdays.to_aware(local)


def _received_before(engine, wanted: datetime, now: datetime) -> datetime:
    """``wanted`` moved into office hours; if that is not in the past, an earlier working day."""
    moment = _working_moment(engine, wanted)
    day = workdays.to_local_naive(now).date()
    while moment >= now:  # e.g. "a few hours ago" on a Sunday: the last working afternoon
        day = engine.calendar.previous_working_day(day)
        moment = workdays.to_aware(datetime.combine(day, time(14, 20)))
    return moment


def _after(engine, moment: datetime, hours: float) -> datetime:
    local = engine.add_working_minutes(workdays.to_local_naive(moment), max(1, int(hours * 60)))
    return workdays.to_aware(local)


def _dossier_for(unit, received: datetime, owner, rng) -> Dossier | None:
    dossiers = Dossier.objects.filter(
        receiving_unit=unit, received_at__lt=received - timedelta(days=1)
    ).exclude(status=Status.DRAFT)
    if owner is not None and rng.random() < 0.5:
        own = list(dossiers.filter(applicant_user=owner).order_by("id")[:20])
        if own:
            return rng.choice(own)
    candidates = list(dossiers.exclude(applicant_phone="").order_by("-received_at")[:40])
    return rng.choice(candidates) if candidates else None


def _one(topic: Topic, plan: str, days_ago: float, units, citizen, now, rng) -> None:
    engine = workdays.get_engine(units[CENTRE])
    received = timezone.localtime(now - timedelta(days=days_ago))
    received = received.replace(hour=rng.randint(7, 16), minute=rng.choice([5, 20, 35, 50]))
    received = _received_before(engine, received, now)

    sender = _sender(rng)
    kwargs = {
        "subject_kind": topic.subject,
        "title": topic.title,
        "content": topic.content,
        "officer_name": topic.officer,
        "unit": units[topic.unit],
        "client_address": "demo",
    }
    user = None
    if topic.procedure:
        kwargs["procedure"] = Procedure.objects.filter(code=topic.procedure).first()
        if kwargs["procedure"] is None:
            kwargs["subject_kind"] = SubjectKind.OTHER
    if topic.subject == SubjectKind.DOSSIER:
        dossier = _dossier_for(units[CENTRE], received, citizen, rng)
        if dossier is None:
            kwargs["subject_kind"] = SubjectKind.OTHER  # no demo dossiers loaded
        else:
            kwargs["dossier_code"] = dossier.code
            if citizen is not None and dossier.applicant_user_id == citizen.pk:
                user = citizen
                sender.name = citizen.get_full_name()
            else:
                sender.name = dossier.applicant_name
                sender.phone = dossier.applicant_phone
                kwargs["dossier_digits"] = dossier.applicant_phone[-4:]
    with travel(received):
        feedback, token = services.submit(sender=sender, user=user, **kwargs)
    _progress(feedback, token, topic, plan, engine, received, now, units, rng)


def _progress(feedback, token, topic, plan, engine, start, now, units, rng) -> None:
    """Walk one feedback forward in time; stop where its next action would be in the future."""
    moment = start
    team = _team(feedback.unit)
    if team is None or plan == "received":
        return

    def later(hours: float) -> bool:
        nonlocal moment
        moment = _after(engine, moment, hours)
        return moment < now

    def run(action, *args, **kwargs):
        with travel(moment):
            return action(feedback.pk, *args, **kwargs)

    if plan == "rejected":
        if later(rng.uniform(2, 12)):
            run(
                services.reject,
                team.rejecter,
                "Nội dung không phải phản ánh, kiến nghị về quy định hành chính mà là tranh chấp "
                "hoặc khiếu nại, được giải quyết theo thủ tục riêng. Đề nghị Ông/Bà gửi đơn đến "
                "cơ quan có thẩm quyền theo Luật Khiếu nại hoặc Luật Đất đai để được hướng dẫn.",
            )
        return
    if plan.startswith("forwarded"):
        if not later(rng.uniform(2, 8)):
            return
        run(
            services.forward,
            team.classifier,
            units[JUSTICE],
            "Việc đăng ký hộ tịch gốc thực hiện tại Sở Tư pháp; chuyển Sở Tư pháp trả lời.",
        )
        feedback.refresh_from_db()
        team = _team(feedback.unit)
        if team is None or plan == "forwarded_open":
            return
    if not later(rng.uniform(2, 16)):
        return
    run(services.classify, team.classifier, topic.category)
    if plan in ("classified", "overdue"):
        return
    # Most answers come in well within the 15 working days; "published_late" misses them.
    answer_hours = rng.uniform(17 * 8, 19 * 8) if plan == "published_late" else rng.uniform(8, 64)
    if not later(answer_hours):
        return
    run(services.answer, team.handler, topic.answer)
    if plan == "answered":
        return
    if not later(rng.uniform(2, 12)):
        return
    feedback.refresh_from_db()
    texts = services.suggested_public_texts(feedback)
    run(
        services.publish,
        team.leader,
        texts["public_content"],
        texts["public_answer"],
        public_title=texts["public_title"],
    )
    rating = {
        "satisfied": FeedbackRating.SATISFIED,
        "dissatisfied": FeedbackRating.DISSATISFIED,
        "neutral": FeedbackRating.NEUTRAL,
    }.get(plan)
    if rating is None or not later(rng.uniform(4, 24)):
        return
    comment = {
        FeedbackRating.SATISFIED: "Cảm ơn đơn vị đã trả lời nhanh và rõ ràng.",
        FeedbackRating.DISSATISFIED: "Câu trả lời chưa giải quyết được vấn đề của tôi.",
        FeedbackRating.NEUTRAL: "",
    }[rating]
    run(services.rate, rating, token=token, comment=comment)
