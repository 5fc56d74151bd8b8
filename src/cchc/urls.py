from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from cchc.catalog.api.views import FieldViewSet, ProcedureViewSet
from cchc.common.api import RootRouter
from cchc.dossiers import views as dossier_views
from cchc.organisations.api.views import OrganisationUnitViewSet

router = RootRouter()
router.register("procedures", ProcedureViewSet, basename="procedure")
router.register("fields", FieldViewSet, basename="field")
router.register("units", OrganisationUnitViewSet, basename="unit")

urlpatterns = [
    path("", include("cchc.portal.urls")),
    path("", include("cchc.workdays.urls")),
    path("tai-khoan/", include("cchc.accounts.urls")),
    path("thu-tuc/", include("cchc.catalog.urls")),
    path("ho-so/", include("cchc.dossiers.urls")),
    path("", include("cchc.documents.urls")),
    path("tra-cuu/", dossier_views.public_lookup, name="lookup"),
    path("cong-dan/", include("cchc.dossiers.citizen_urls")),
    path("bao-cao/", include("cchc.reports.urls")),
    path("phan-anh/", include("cchc.feedback.urls")),
    path("chi-so-766/", include("cchc.index766.urls")),
    path("dieu-hanh/", include("cchc.dashboard.urls")),
    path("minh-bach/", include("cchc.dashboard.public_urls")),
    path("api/v1/", include("cchc.workdays.api.urls")),
    path("api/v1/", include(router.urls)),
    path("api/v1/", include("cchc.dossiers.api.urls")),
    path("api/v1/", include("cchc.feedback.api.urls")),
    path("api/v1/", include("cchc.reports.api.urls")),
    path("api/v1/", include("cchc.index766.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("quan-tri/", admin.site.urls),
]

# Unknown URLs and refused requests answer JSON under /api/ (as the schema documents).
handler404 = "cchc.common.views.page_not_found"
handler400 = "cchc.common.views.bad_request"
