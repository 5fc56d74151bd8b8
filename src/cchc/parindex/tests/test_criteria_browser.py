"""Criteria-set pages in chromium: the reform officer imports a sheet with mistakes, sees every
line error at once, fixes it and imports; no serious accessibility violation at desktop and
phone widths (the vendored axe-core, as in ``portal/tests/test_accessibility``)."""

import pytest

from cchc.parindex.models import CriteriaSet
from cchc.portal.tests.test_accessibility import VIEWPORTS, axe_violations, describe, sign_in

from .criteria_helpers import ROWS, workbook_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REFORM_OFFICER = "cchc.noivu"  # reform staff of the demo province: the least role that imports


@pytest.fixture
def site(live_server):
    from cchc.demo import province as demo
    from cchc.parindex.samples import load_sample_sets

    demo.load_users(demo.load_units())
    load_sample_sets([2025])
    # Read now: once the browser fixture runs, Playwright's event loop forbids the ORM here.
    sample = CriteriaSet.objects.filter(level="department").get()
    return live_server.url, sample.pk


def test_reform_officer_imports_a_sheet_after_fixing_its_lines(site, browser, tmp_path):
    site, _sample = site
    bad_rows = [list(row) for row in ROWS]
    bad_rows[2][2] = "hai"
    bad_rows[4][3] = ""
    bad = tmp_path / "bo-tieu-chi-loi.xlsx"
    bad.write_bytes(workbook_bytes(bad_rows))
    good = tmp_path / "bo-tieu-chi.xlsx"
    good.write_bytes(workbook_bytes(ROWS))

    page = sign_in(browser, site, REFORM_OFFICER, VIEWPORTS["phone"])
    page.on("dialog", lambda dialog: dialog.accept())
    try:
        page.goto(f"{site}/chi-so-cchc/bo-tieu-chi/")
        page.click("text=Nhập từ tệp XLSX")
        page.set_input_files("#id_file", str(bad))
        page.fill("#id_year", "2026")
        page.select_option("#id_level", "department")
        page.fill("#id_name", "Bộ tiêu chí sở năm 2026")
        page.click("main button[type=submit]")
        problems = page.inner_text("#import-problems")
        assert "Dòng 6" in problems and "Dòng 8" in problems and "chưa lưu gì" in problems
        page.goto(f"{site}/chi-so-cchc/bo-tieu-chi/")
        assert "Bộ tiêu chí sở năm 2026" not in page.inner_text("main")  # nothing was saved
        page.click("text=Nhập từ tệp XLSX")
        page.fill("#id_year", "2026")
        page.select_option("#id_level", "department")
        page.fill("#id_name", "Bộ tiêu chí sở năm 2026")

        page.set_input_files("#id_file", str(good))
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        assert "Bộ tiêu chí sở năm 2026" in page.inner_text("h1")
        assert "Hợp lệ" in page.inner_text("main")
    finally:
        page.context.close()


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_criteria_pages_have_no_serious_accessibility_violation(site, browser, viewport):
    site, sample_pk = site
    page = sign_in(browser, site, REFORM_OFFICER, VIEWPORTS[viewport])
    problems = []
    try:
        for path in (
            "/chi-so-cchc/bo-tieu-chi/",
            f"/chi-so-cchc/bo-tieu-chi/{sample_pk}/",
            "/chi-so-cchc/bo-tieu-chi/nhap/",
        ):
            response = page.goto(site + path)
            assert response.status == 200, path
            found = axe_violations(page)
            if found:
                problems.append(describe(path, found))
    finally:
        page.context.close()
    assert not problems, "\n".join(problems)
