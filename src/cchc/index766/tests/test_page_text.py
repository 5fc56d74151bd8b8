"""The 766 page reads as sentences: figures or a stated reason, never "None", no doubled words."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from cchc.demo import province as demo
from cchc.demo.generate import generate
from cchc.organisations.models import OrganisationUnit, Role, RoleAssignment

pytestmark = pytest.mark.django_db
PERIOD = {"tu_ngay": "01/01/2026", "den_ngay": "30/09/2026"}
# Two identical words (or pairs of words) in a row, letters only: "hồ sơ hồ sơ", "the the".
DOUBLED = re.compile(r"(?<!\w)([^\W\d_]+(?: [^\W\d_]+)?) \1(?!\w)", re.IGNORECASE)


class _Text(HTMLParser):
    """Visible text of a page: the body without scripts and styles, and per table row."""

    def __init__(self):
        super().__init__()
        self.parts, self.rows, self._skip = [], [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "title"):
            self._skip += 1
        if tag == "tr":
            self.rows.append([])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "title"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)
            if self.rows:
                self.rows[-1].append(data)

    @staticmethod
    def squash(parts) -> str:
        return " ".join(" ".join(parts).split())


def page_text(html: str) -> tuple[str, dict[str, str]]:
    parser = _Text()
    parser.feed(html)
    rows = {}
    for row in parser.rows:
        text = parser.squash(row)
        match = re.match(r"(\d\.\d) ", text)
        if match:
            rows[match.group(1)] = text
    return parser.squash(parser.parts), rows


@pytest.fixture
def leader_client(client, django_user_model, settings):
    units = demo.load_units()
    demo.load_catalog(units)
    generate(600, units=4, years=1.5, events=False, seed=7)
    leader = django_user_model.objects.create_user("lead766text", password="x")
    province = OrganisationUnit.objects.filter(parent__isnull=True).first()
    RoleAssignment.objects.create(user=leader, unit=province, role=Role.LEADER)
    client.force_login(leader)
    return client


@pytest.mark.parametrize(
    "period",
    [PERIOD, {"tu_ngay": "01/01/2023", "den_ngay": "31/01/2023"}],
    ids=["with-data", "empty-period"],
)
def test_page_has_no_none_and_no_doubled_words(leader_client, period):
    response = leader_client.get(reverse("index766:index"), period)
    assert response.status_code == 200
    text, rows = page_text(response.content.decode())
    assert "None" not in text
    assert "hồ sơ hồ sơ" not in text.lower()
    assert DOUBLED.findall(text) == []
    assert len(rows) >= 20, "every indicator has its row"
    for indicator_id, row in rows.items():
        has_percent = re.search(r"\d%", row) or "ngày làm việc" in row
        assert has_percent or "Chưa có dữ liệu" in row, (indicator_id, row)
        assert "—%" not in row, (indicator_id, row)


def test_monitoring_indicators_without_data_say_why(leader_client):
    _text, rows = page_text(leader_client.get(reverse("index766:index"), PERIOD).content.decode())
    for indicator_id in ("4.4", "4.5"):
        row = rows[indicator_id]
        assert "Chưa có dữ liệu" in row
        assert "hệ thống quốc gia" in row  # the reason: national data the platform does not hold
        assert "Không áp dụng" in row and "không tính điểm" in row
    # A scored indicator without national data keeps its maximum, and says why too.
    assert "Chưa có dữ liệu" in rows["1.1"] and "—/4,00" in rows["1.1"]


def test_an_empty_period_says_there_is_nothing_to_count(leader_client):
    html = leader_client.get(
        reverse("index766:index"), {"tu_ngay": "01/01/2023", "den_ngay": "31/01/2023"}
    ).content.decode()
    _text, rows = page_text(html)
    assert "mẫu số bằng 0" in rows["2.1"]


def test_late_causes_read_as_late_out_of_dossiers(leader_client):
    text, _rows = page_text(leader_client.get(reverse("index766:index"), PERIOD).content.decode())
    assert re.search(r"\d+ trễ hạn / \d+ hồ sơ", text)
    assert not re.search(r"hồ sơ \d+ trễ hạn|hồ sơ hồ sơ", text)
