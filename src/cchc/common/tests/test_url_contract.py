"""The public contract of the addresses: every URL name still reverses to the same path, and that
path still resolves to the same name (the URL includes are registered by the apps, see
docs/registries.md; the order of the includes decides which of two overlapping patterns wins)."""

import re

from django.urls import get_resolver, resolve, reverse
from django.urls.resolvers import URLPattern, URLResolver

SAMPLES = {"int": 7, "str": "ma-1", "slug": "mau", "path": "a/b"}
CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
GROUP = re.compile(r"\(\?P<(\w+)>([^)]*)\)")


def _sample(regex: str):
    if re.fullmatch(r"[\w|]+", regex):  # a choice of words (the admin's app labels)
        return regex.split("|")[0]
    return 7 if regex.startswith("[0-9]") else "json" if regex.startswith("[a-z0-9]") else "ma-1"


def _walk(resolver: URLResolver, namespace: str, route: str):
    for entry in resolver.url_patterns:
        pattern = route + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, inner, pattern)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", pattern


def resolved_urls() -> dict[str, str]:
    """Each URL name (the first pattern of a name wins, as in ``reverse``) → its path with sample
    arguments."""
    urls: dict[str, str] = {}
    for name, pattern in _walk(get_resolver(), "", ""):
        if name in urls:
            continue
        kwargs = {arg: SAMPLES[kind or "str"] for kind, arg in CONVERTER.findall(pattern)}
        kwargs.update({arg: _sample(regex) for arg, regex in GROUP.findall(pattern)})
        urls[name] = reverse(name, kwargs=kwargs)
    return urls


EXPECTED = {
    "accounts:login": "/tai-khoan/dang-nhap/",
    "accounts:logout": "/tai-khoan/dang-xuat/",
    "accounts:unlock": "/tai-khoan/mo-khoa/",
    "admin:index": "/quan-tri/",
    "api-docs": "/api/docs/",
    "api-feedback-rate": "/api/v1/feedback/rate/",
    "api-feedback-submit": "/api/v1/feedback/",
    "api-lookup": "/api/v1/lookup/",
    "api-report-period": "/api/v1/reports/period/",
    "api-report-period-dossiers": "/api/v1/reports/period/dossiers/",
    "api-root": "/api/v1/",
    "api-schema": "/api/schema/",
    "catalog:detail": "/thu-tuc/ma-1/",
    "catalog:list": "/thu-tuc/",
    "catalog:preview": "/thu-tuc/ma-1/du-kien/",
    "citizen:acknowledgement": "/cong-dan/ho-so/7/bien-nhan/",
    "citizen:acknowledgement_file": "/cong-dan/ho-so/7/bien-nhan.pdf",
    "citizen:component_file": "/cong-dan/ho-so/7/giay-to/7/",
    "citizen:my_dossier": "/cong-dan/ho-so/7/",
    "citizen:my_dossiers": "/cong-dan/ho-so/",
    "citizen:rate": "/cong-dan/ho-so/7/danh-gia/",
    "citizen:receipt_file": "/cong-dan/ho-so/7/giay-tiep-nhan.pdf",
    "citizen:result_file": "/cong-dan/ho-so/7/tep-ket-qua/",
    "citizen:signup": "/cong-dan/dang-ky/",
    "citizen:submit": "/cong-dan/nop/ma-1/",
    "citizen:submit_draft": "/cong-dan/ho-so/7/nop/",
    "citizen:supplement": "/cong-dan/ho-so/7/bo-sung/",
    "citizen:withdraw": "/cong-dan/ho-so/7/rut/",
    "dashboard:home": "/dieu-hanh/",
    "healthz": "/healthz",
    "readyz": "/readyz",
    "metrics": "/metrics",
    "dashboard:live": "/dieu-hanh/cap-nhat/",
    "dashboard:overdue": "/dieu-hanh/qua-han/",
    "documents:form_pdf": "/ho-so/7/bieu-mau/mau.pdf",
    "documents:log_book": "/so-theo-doi.xlsx",
    "dossier-accept": "/api/v1/dossiers/7/accept/",
    "dossier-apology": "/api/v1/dossiers/7/apology/",
    "dossier-approve-result": "/api/v1/dossiers/7/approve-result/",
    "dossier-complete-supplement": "/api/v1/dossiers/7/complete-supplement/",
    "dossier-component-file": "/api/v1/dossiers/7/components/7/file/",
    "dossier-detail": "/api/v1/dossiers/7/",
    "dossier-extend": "/api/v1/dossiers/7/extend/",
    "dossier-forward": "/api/v1/dossiers/7/forward/",
    "dossier-hand-off": "/api/v1/dossiers/7/hand-off/",
    "dossier-list": "/api/v1/dossiers/",
    "dossier-reassign": "/api/v1/dossiers/7/reassign/",
    "dossier-record-payment": "/api/v1/dossiers/7/record-payment/",
    "dossier-refuse-intake": "/api/v1/dossiers/7/refuse-intake/",
    "dossier-request-financial-obligation": "/api/v1/dossiers/7/request-financial-obligation/",
    "dossier-request-supplement": "/api/v1/dossiers/7/request-supplement/",
    "dossier-result-file": "/api/v1/dossiers/7/result-file/",
    "dossier-return-result": "/api/v1/dossiers/7/return-result/",
    "dossier-send-back": "/api/v1/dossiers/7/send-back/",
    "dossier-stop": "/api/v1/dossiers/7/stop/",
    "dossier-withdraw": "/api/v1/dossiers/7/withdraw/",
    "dossiers:act": "/ho-so/7/ma-1/",
    "dossiers:apology_decide": "/ho-so/7/xin-loi/7/",
    "dossiers:apology_draft": "/ho-so/7/xin-loi/",
    "dossiers:applicant_lookup": "/ho-so/tiep-nhan/tra-cuu-nguoi-nop/",
    "dossiers:component_file": "/ho-so/7/giay-to/7/",
    "dossiers:detail": "/ho-so/7/",
    "dossiers:intake": "/ho-so/tiep-nhan/",
    "dossiers:intake_checklist": "/ho-so/tiep-nhan/danh-muc-giay-to/",
    "dossiers:queue": "/ho-so/",
    "dossiers:queue_named": "/ho-so/hang-doi/mau/",
    "dossiers:receipt": "/ho-so/7/giay-tiep-nhan/",
    "dossiers:result_file": "/ho-so/7/tep-ket-qua/",
    "feedback-officer-answer": "/api/v1/feedback/officer/7/answer/",
    "feedback-officer-classify": "/api/v1/feedback/officer/7/classify/",
    "feedback-officer-detail": "/api/v1/feedback/officer/7/",
    "feedback-officer-forward": "/api/v1/feedback/officer/7/forward/",
    "feedback-officer-list": "/api/v1/feedback/officer/",
    "feedback-officer-publish": "/api/v1/feedback/officer/7/publish/",
    "feedback-officer-reject": "/api/v1/feedback/officer/7/reject/",
    "feedback-public-detail": "/api/v1/feedback/public/ma-1/",
    "feedback-public-list": "/api/v1/feedback/public/",
    "feedback:act": "/phan-anh/xu-ly/7/ma-1/",
    "feedback:confirmation": "/phan-anh/da-gui/ma-1/",
    "feedback:detail": "/phan-anh/xu-ly/7/",
    "feedback:lookup": "/phan-anh/tra-cuu/",
    "feedback:mine": "/phan-anh/cua-toi/",
    "feedback:my_detail": "/phan-anh/cua-toi/ma-1/",
    "feedback:public_detail": "/phan-anh/cong-khai/ma-1/",
    "feedback:public_list": "/phan-anh/",
    "feedback:queue": "/phan-anh/xu-ly/",
    "feedback:queue_named": "/phan-anh/xu-ly/hang-doi/mau/",
    "feedback:rate": "/phan-anh/danh-gia/ma-1/ma-1/",
    "feedback:submit": "/phan-anh/gui/",
    "field-detail": "/api/v1/fields/7/",
    "field-list": "/api/v1/fields/",
    "index766-api": "/api/v1/index766/",
    "index766-ranking-api": "/api/v1/index766/ranking/",
    "index766:index": "/chi-so-766/",
    "lookup": "/tra-cuu/",
    "online-dossier-component-file": "/api/v1/online-dossiers/7/components/7/file/",
    "online-dossier-components": "/api/v1/online-dossiers/7/components/",
    "online-dossier-list": "/api/v1/online-dossiers/",
    "online-dossier-submit": "/api/v1/online-dossiers/7/submit/",
    "parindex:criteria_export": "/chi-so-cchc/bo-tieu-chi/7/xuat/",
    "parindex:criteria_import": "/chi-so-cchc/bo-tieu-chi/nhap/",
    "parindex:criteria_set": "/chi-so-cchc/bo-tieu-chi/7/",
    "parindex:criteria_sets": "/chi-so-cchc/bo-tieu-chi/",
    "parindex-results-api": "/api/v1/parindex/results/",
    "parindex:public_results": "/chi-so-cchc/cong-khai/",
    "parindex:public_round": "/chi-so-cchc/cong-khai/7/",
    "parindex:results_index": "/chi-so-cchc/ket-qua/",
    "parindex:results_losses": "/chi-so-cchc/ket-qua/7/tieu-chi-mat-diem/",
    "parindex:results_pdf": "/chi-so-cchc/ket-qua/7/phu-luc.pdf",
    "parindex:results_round": "/chi-so-cchc/ket-qua/7/",
    "parindex:results_unit": "/chi-so-cchc/ket-qua/7/don-vi/ma-1/",
    "parindex:results_xlsx": "/chi-so-cchc/ket-qua/7/tong-hop.xlsx",
    "parindex:survey_import": "/chi-so-cchc/ket-qua/7/diem-dieu-tra/",
    "parindex-assessment-detail": "/api/v1/parindex/assessments/7/",
    "parindex-assessment-leaves": "/api/v1/parindex/assessments/7/leaves/",
    "parindex-assessment-list": "/api/v1/parindex/assessments/",
    "parindex-assessment-submit": "/api/v1/parindex/assessments/7/submit/",
    "parindex-explanation-answer": "/api/v1/parindex/explanations/7/answer/",
    "parindex-leaf-appraise": "/api/v1/parindex/leaves/7/appraise/",
    "parindex-leaf-detail": "/api/v1/parindex/leaves/7/",
    "parindex-leaf-request-explanation": "/api/v1/parindex/leaves/7/request-explanation/",
    "parindex-leaf-score": "/api/v1/parindex/leaves/7/score/",
    "parindex-round-decide": "/api/v1/parindex/rounds/7/decide/",
    "parindex-round-detail": "/api/v1/parindex/rounds/7/",
    "parindex-round-list": "/api/v1/parindex/rounds/",
    "parindex-round-open": "/api/v1/parindex/rounds/7/open/",
    "parindex-round-publish": "/api/v1/parindex/rounds/7/publish/",
    "parindex-round-start-appraisal": "/api/v1/parindex/rounds/7/start-appraisal/",
    "parindex:appraisal_act": "/chi-so-cchc/tham-dinh/tieu-chi/7/ma-1/",
    "parindex:appraisal_assessment": "/chi-so-cchc/tham-dinh/don-vi/7/",
    "parindex:appraisal_round": "/chi-so-cchc/tham-dinh/7/",
    "parindex:assessment_act": "/chi-so-cchc/tu-danh-gia/7/thao-tac/ma-1/",
    "parindex:assessment_detail": "/chi-so-cchc/tu-danh-gia/7/",
    "parindex:evidence_file": "/chi-so-cchc/minh-chung/7/tep/",
    "parindex:evidence_remove": "/chi-so-cchc/minh-chung/7/xoa/",
    "parindex:home": "/chi-so-cchc/",
    "parindex:leaf_act": "/chi-so-cchc/tieu-chi/7/thao-tac/ma-1/",
    "parindex:leaf_detail": "/chi-so-cchc/tieu-chi/7/",
    "parindex:round_act": "/chi-so-cchc/ky-danh-gia/7/thao-tac/ma-1/",
    "parindex:round_create": "/chi-so-cchc/ky-danh-gia/tao/",
    "parindex:round_detail": "/chi-so-cchc/ky-danh-gia/7/",
    "parindex:round_edit": "/chi-so-cchc/ky-danh-gia/7/sua/",
    "portal:favicon": "/favicon.ico",
    "portal:home": "/",
    "portal:my_units": "/don-vi-cua-toi/",
    "procedure-detail": "/api/v1/procedures/ma-1/",
    "procedure-list": "/api/v1/procedures/",
    "reports:drill": "/bao-cao/ho-so/",
    "reports:pdf": "/bao-cao/bao-cao.pdf",
    "reports:report": "/bao-cao/",
    "reports:xlsx": "/bao-cao/bao-cao.xlsx",
    "surveys:freeze": "/khao-sat/phieu/7/khoa/",
    "surveys:new_version": "/khao-sat/phieu/7/phien-ban-moi/",
    "surveys:question_add": "/khao-sat/phieu/7/muc/7/cau-hoi-moi/",
    "surveys:question_edit": "/khao-sat/phieu/7/cau-hoi/7/",
    "surveys:question_move": "/khao-sat/phieu/7/cau-hoi/7/di-chuyen/",
    "surveys:question_remove": "/khao-sat/phieu/7/cau-hoi/7/xoa/",
    "surveys:questionnaire": "/khao-sat/phieu/7/",
    "surveys:questionnaires": "/khao-sat/phieu/",
    "surveys:section_add": "/khao-sat/phieu/7/muc-moi/",
    "surveys:section_remove": "/khao-sat/phieu/7/muc/7/xoa/",
    "transparency:index": "/minh-bach/",
    "transparency:unit": "/minh-bach/ma-1/",
    "unit-detail": "/api/v1/units/ma-1/",
    "unit-list": "/api/v1/units/",
    "workdays-day": "/api/v1/workdays/day",
    "workdays-deadline": "/api/v1/workdays/deadline",
    "workdays:calculator": "/tinh-han/",
    "workdays:calendar": "/lich-lam-viec/",
    "surveys-campaign-results-api": "/api/v1/surveys/campaigns/ma-1/results/",
    "surveys:answer": "/khao-sat/tra-loi/ma-1/",
    "surveys:answer_qr": "/khao-sat/qr/mau/ma-1/",
    "surveys:answer_thanks": "/khao-sat/cam-on/",
    "surveys:campaign": "/khao-sat/dot/7/",
    "surveys:campaign_act": "/khao-sat/dot/7/mau/",
    "surveys:campaign_create": "/khao-sat/dot/moi/",
    "surveys:campaign_edit": "/khao-sat/dot/7/sua/",
    "surveys:campaign_qr": "/khao-sat/dot/7/ma-qr/7/",
    "surveys:campaigns": "/khao-sat/dot/",
    "surveys:counter": "/khao-sat/tai-quay/",
    "surveys:kiosk": "/khao-sat/kiosk/mau/ma-1/",
    "surveys:kiosk_submit": "/khao-sat/kiosk/mau/ma-1/gui/",
    "surveys:paper": "/khao-sat/phieu-giay/mau/ma-1/",
    "surveys:paper_resolve": "/khao-sat/phieu-giay/mau/ma-1/doi-chieu/",
    "surveys:public_campaign": "/khao-sat/cong-khai/mau/",
    "surveys:public_index": "/khao-sat/cong-khai/",
    "surveys:results_campaign": "/khao-sat/ket-qua/mau/",
    "surveys:results_index": "/khao-sat/ket-qua/",
    "surveys:results_pdf": "/khao-sat/ket-qua/mau/bao-cao.pdf",
    "surveys:results_raw_csv": "/khao-sat/ket-qua/mau/tra-loi.csv",
    "surveys:results_raw_xlsx": "/khao-sat/ket-qua/mau/tra-loi.xlsx",
    "surveys:results_texts": "/khao-sat/ket-qua/mau/y-kien/",
    "surveys:results_xlsx": "/khao-sat/ket-qua/mau/ket-qua.xlsx",
    "surveys:review": "/khao-sat/duyet/mau/",
    "surveys:review_decide": "/khao-sat/duyet/mau/7/",
    "surveys:xlsform_export": "/khao-sat/phieu/7/xlsform/",
    "surveys:xlsform_import": "/khao-sat/phieu/nhap-xlsform/",
    # reformreports (periodic reform reports, issue 13)
    "reformreports:list": "/bao-cao-cchc/",
    "reformreports:create": "/bao-cao-cchc/tao/",
    "reformreports:missing": "/bao-cao-cchc/chua-bao-cao/",
    "reformreports:detail": "/bao-cao-cchc/7/",
    "reformreports:edit": "/bao-cao-cchc/7/sua/",
    "reformreports:docx": "/bao-cao-cchc/7/docx/",
    "reformreports:pdf": "/bao-cao-cchc/7/pdf/",
    "reformreports:act": "/bao-cao-cchc/7/mau/",
    "reform-report-list": "/api/v1/reform-reports/",
    "reform-report-detail": "/api/v1/reform-reports/7/",
    "reform-report-refresh": "/api/v1/reform-reports/7/refresh/",
    "reform-report-submit": "/api/v1/reform-reports/7/submit/",
    "reform-report-approve": "/api/v1/reform-reports/7/approve/",
    "reform-report-return": "/api/v1/reform-reports/7/return/",
    # privacy (personal data: the citizen's own export, issue 14)
    "citizen:personal_data": "/cong-dan/du-lieu-ca-nhan/",
    "citizen:personal_data_download": "/cong-dan/du-lieu-ca-nhan.json",
}


def test_every_url_name_keeps_its_path():
    # The admin's own names follow the registered models; its entry point is the contract.
    urls = {
        name: path
        for name, path in resolved_urls().items()
        if not name.startswith("admin:") or name == "admin:index"
    }
    assert urls == EXPECTED


def test_every_path_resolves_to_its_name():
    for name, path in EXPECTED.items():
        assert resolve(path).view_name == name, path
