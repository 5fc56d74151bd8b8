"""The project's addresses: the URL includes every app registers (``cchc.common.routes``, each
app's ``hooks.py``), then the project-wide ones (API schema, admin). Adding a module adds no line
here: see docs/registries.md."""

from django.contrib import admin
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from cchc.common import routes


def build() -> list:
    return [
        *routes.urlpatterns(),
        path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
        path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
        path("quan-tri/", admin.site.urls),
    ]


urlpatterns = build()

# Unknown URLs and refused requests answer JSON under /api/ (as the schema documents).
handler404 = "cchc.common.views.page_not_found"
handler400 = "cchc.common.views.bad_request"
