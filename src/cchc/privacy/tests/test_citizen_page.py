"""The citizen's "Dữ liệu cá nhân của tôi": login required, only their own data."""

import json

import pytest
from django.urls import reverse

from cchc.privacy.models import ExportChannel, ExportRecord, IdentifierKind


@pytest.fixture
def signed_in(client, world):
    client.force_login(world.account)
    return client


def test_anonymous_visitors_are_sent_to_the_login_page(client, world):
    for name, method in (
        ("citizen:personal_data", client.get),
        ("citizen:personal_data_download", client.post),
    ):
        response = method(reverse(name))
        assert response.status_code == 302 and "/dang-nhap/" in response["Location"]
    assert ExportRecord.objects.count() == 0


def test_the_page_speaks_vietnamese_and_counts_their_records(signed_in):
    page = signed_in.get(reverse("citizen:personal_data")).content.decode()
    assert "Dữ liệu cá nhân của tôi" in page
    assert "Nghị định 13/2023/NĐ-CP" in page
    assert "1 hồ sơ nộp từ tài khoản của bạn" in page
    assert "1 phản ánh, kiến nghị gửi từ tài khoản của bạn" in page
    assert "Tải dữ liệu của tôi (JSON)" in page
    assert "10 năm" in page


def test_the_download_holds_only_their_own_dossiers_and_feedback(signed_in, world):
    response = signed_in.post(reverse("citizen:personal_data_download"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="du-lieu-ca-nhan-')
    data = json.loads(response.content.decode("utf-8"))
    # Only the dossier submitted from the account: not the other dossiers with the same ID
    # number (received at the counter, not linked to it), nor anyone else's.
    assert [item["code"] for item in data["dossiers"]] == [world.old.code]
    assert [item["code"] for item in data["feedback"]] == [world.feedback.code]
    assert [account["username"] for account in data["accounts"]] == ["an.congdan"]
    assert {m["dossier_code"] for m in data["notifications"]} == {world.old.code}
    assert "Trần Thị Bình" not in response.content.decode("utf-8")
    record = ExportRecord.objects.get()
    assert record.channel == ExportChannel.CITIZEN_PAGE
    assert record.identifier_kind == IdentifierKind.ACCOUNT and record.actor == world.account


def test_the_download_is_a_post(signed_in):
    assert signed_in.get(reverse("citizen:personal_data_download")).status_code == 405


def test_the_menu_offers_it_to_citizens(signed_in):
    page = signed_in.get(reverse("citizen:my_dossiers")).content.decode()
    assert reverse("citizen:personal_data") in page
