"""The project's addresses: the URL includes every app registers (``cchc.common.routes``, each
app's ``hooks.py``), then the project-wide ones (API schema, admin). Adding a module adds no line
here: see docs/registries.md."""

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.permissions import BasePermission

from cchc.common import routes
from cchc.conf import conf


class DocsReader(BasePermission):
    """The API's schema and docs: public when ``CCHC_API_DOCS_PUBLIC``, else signed-in users
    (a session or an API token); production's default is signed-in only."""

    def has_permission(self, request, view) -> bool:
        return conf.API_DOCS_PUBLIC or bool(request.user and request.user.is_authenticated)


class SchemaView(SpectacularAPIView):
    permission_classes = [DocsReader]


_swagger = SpectacularSwaggerView.as_view(url_name="api-schema")


def api_docs(request, *args, **kwargs):
    """The Swagger page: a person not signed in is sent to sign in first."""
    if not conf.API_DOCS_PUBLIC and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return _swagger(request, *args, **kwargs)


def build() -> list:
    return [
        *routes.urlpatterns(),
        path("api/schema/", SchemaView.as_view(), name="api-schema"),
        path("api/docs/", api_docs, name="api-docs"),
        path("quan-tri/", admin.site.urls),
    ]


urlpatterns = build()

# Unknown URLs and refused requests answer JSON under /api/ (as the schema documents).
handler404 = "cchc.common.views.page_not_found"
handler400 = "cchc.common.views.bad_request"
