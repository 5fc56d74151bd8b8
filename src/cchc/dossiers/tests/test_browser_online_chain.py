"""The whole online chain in Debian's chromium, each step by the least-privileged role doing it:

citizen submits online to the ward committee → acknowledgement → the ward centre's one-stop officer
finds it in the queue to check and accepts it → the ward's processing officer processes and forwards
it → the ward leader approves → the centre returns the result → the citizen sees it in "Hồ sơ của
tôi", downloads the receipt and rates it.

The ward centre (Trung tâm Phục vụ hành chính công) is a unit of its own under the ward committee,
as in the demo data: the dossier is addressed to the committee and received by the centre.
"""

import re
from decimal import Decimal

import pytest

from cchc.catalog.models import Field, Procedure, ProcedureComponent, WorkflowStep
from cchc.organisations.models import OrganisationUnit, Role, RoleAssignment, UnitKind

from .test_browser_flows import PASSWORD, act, session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ward(django_user_model):
    province = OrganisationUnit.objects.create(
        kind=UnitKind.PROVINCE_COMMITTEE, name="Ủy ban nhân dân tỉnh An Bình", code="000.00.00.H99"
    )
    OrganisationUnit.objects.create(
        kind=UnitKind.SERVICE_CENTRE,
        name="Trung tâm Phục vụ hành chính công tỉnh An Bình",
        code="000.00.01.H99",
        parent=province,
    )
    committee = OrganisationUnit.objects.create(
        kind=UnitKind.COMMUNE_COMMITTEE,
        name="Ủy ban nhân dân phường Đông Thành",
        code="000.00.31.H99",
        parent=province,
    )
    centre = OrganisationUnit.objects.create(
        kind=UnitKind.SERVICE_CENTRE,
        name="Trung tâm Phục vụ hành chính công phường Đông Thành",
        code="000.01.31.H99",
        parent=committee,
    )
    committee.one_stop_unit = centre
    committee.save()
    users = {}
    for username, role, unit in (
        ("motcua.dongthanh", Role.ONE_STOP_OFFICER, centre),
        ("motcua.tinh", Role.ONE_STOP_OFFICER, province.children.get(code="000.00.01.H99")),
        ("chuyenvien.dongthanh", Role.PROCESSING_OFFICER, committee),
        ("lanhdao.dongthanh", Role.LEADER, committee),
    ):
        users[username] = django_user_model.objects.create_user(
            username, password=PASSWORD, full_name=username
        )
        RoleAssignment.objects.create(user=users[username], unit=unit, role=role)
    django_user_model.objects.create_user("congdan", password=PASSWORD, full_name="Đinh Thị Thu")
    procedure = Procedure.objects.create(
        code="1.004873", name="Cấp Giấy xác nhận tình trạng hôn nhân",
        field=Field.objects.create(name="Hộ tịch"), level_commune=True, time_limit_amount=3,
        time_limit_unit="working_days", channel_counter=True, channel_online=True,
        online_level="full",
    )  # fmt: skip
    procedure.implementing_units.add(committee)
    component = ProcedureComponent.objects.create(
        procedure=procedure, name="Tờ khai", mandatory=True
    )
    for order, (name, role, hours) in enumerate(
        [
            ("Tiếp nhận hồ sơ", Role.ONE_STOP_OFFICER, 4),
            ("Thẩm định hồ sơ", Role.PROCESSING_OFFICER, 12),
            ("Ký duyệt", Role.LEADER, 4),
        ]
    ):
        WorkflowStep.objects.create(
            procedure=procedure, order=order, name=name, role=role, hours=Decimal(hours)
        )
    return {"code": procedure.code, "component": component.pk, "committee": committee.pk}


def test_online_dossier_from_citizen_to_rating(live_server, ward, browser):
    citizen = session(browser, live_server, "congdan")
    citizen.goto(f"{live_server.url}/cong-dan/nop/{ward['code']}/")
    options = citizen.locator("#id_unit option").all_inner_texts()
    assert any(text.startswith("Ủy ban nhân dân phường Đông Thành") for text in options), options
    citizen.select_option("#id_unit", value=str(ward["committee"]))
    citizen.fill("#id_applicant_id_number", "001190004321")
    citizen.fill("#id_applicant_phone", "0901234567")
    citizen.set_input_files(
        f"input[name=file_{ward['component']}]",
        files=[{"name": "to-khai.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 t"}],
    )
    with citizen.expect_navigation():
        citizen.get_by_role("button", name="Nộp hồ sơ", exact=True).click()
    main = citizen.inner_text("main")
    assert "Biên nhận nộp hồ sơ trực tuyến" in main, main
    code = citizen.locator("[data-testid=ack-code]").inner_text()
    assert code.startswith("000.01.31.H99-"), code  # received by the ward centre
    assert "Trung tâm Phục vụ hành chính công phường Đông Thành" in main

    # The provincial centre's officer does not get it to check.
    province = session(browser, live_server, "motcua.tinh")
    province.goto(f"{live_server.url}/ho-so/hang-doi/cho-kiem-tra/")
    assert province.get_by_role("link", name=code).count() == 0

    officer = session(browser, live_server, "motcua.dongthanh")
    asked = []  # the confirmation each action asks before it is sent (accepted by session())
    officer.on("dialog", lambda dialog: asked.append(dialog.message))
    officer.goto(f"{live_server.url}/ho-so/hang-doi/cho-kiem-tra/")
    officer.get_by_role("link", name=code).click()
    act(officer, "Tiếp nhận")
    assert asked == ["Xác nhận thực hiện thao tác này?"], asked
    act(officer, "Chuyển bước tiếp theo")

    processor = session(browser, live_server, "chuyenvien.dongthanh")
    processor.goto(f"{live_server.url}/ho-so/hang-doi/dang-xu-ly/?q={code}")
    processor.get_by_role("link", name=code).click()
    act(processor, "Chuyển bước tiếp theo")

    leader = session(browser, live_server, "lanhdao.dongthanh")
    leader.on("dialog", lambda dialog: asked.append(dialog.message))
    leader.goto(f"{live_server.url}/ho-so/hang-doi/tat-ca/?q={code}")
    leader.get_by_role("link", name=code).click()
    act(leader, "Phê duyệt kết quả", {"input[name=number]": "25/XN-UBND"})
    assert len(asked) == 3, asked  # accept, forward, approve: each confirmed

    officer.goto(f"{live_server.url}/ho-so/hang-doi/cho-tra/")
    officer.get_by_role("link", name=code).click()
    act(officer, "Trả kết quả", {"input[name=received_by]": "Đinh Thị Thu"})
    assert "Đã trả kết quả" in officer.content()

    citizen.goto(f"{live_server.url}/cong-dan/ho-so/")
    citizen.get_by_role("link", name=re.compile(re.escape(code))).click()
    citizen.wait_for_load_state()
    assert "Đã trả kết quả" in citizen.inner_text("main")
    receipt = citizen.get_by_role("link", name=re.compile("Mẫu 01"))
    assert receipt.count() == 1
    with citizen.expect_download() as download:
        receipt.click()
    assert download.value.suggested_filename == f"giay-tiep-nhan-{code}.pdf"
    citizen.check("#score5")
    with citizen.expect_navigation():
        citizen.get_by_role("button", name="Gửi đánh giá").click()
    assert "Cảm ơn" in citizen.content()
