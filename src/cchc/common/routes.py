"""Which addresses the platform serves: each app registers its URL includes in ``AppConfig.ready()``
and ``cchc/urls.py`` builds ``urlpatterns`` from them, so a new module needs no line in the centre.

Every address and URL name is a public contract (printed QR codes, e-mails, API clients). The
includes are joined in ``order`` (then registration), which decides which of two overlapping
patterns wins: several apps serve under ``""`` and ``"api/v1/"``, and the dossier pages under
``"ho-so/"`` come before the documents' ``"ho-so/<pk>/bieu-mau/…"``. The test
``common/tests/test_url_contract.py`` pins every name to its path.

An include may ``extend`` another one: its patterns join the other's namespace under the other's
prefix. The documents app serves the citizen's PDFs this way (``citizen:acknowledgement_file``
under ``cong-dan/``) without the citizen pages importing the documents app.

The API root (``api-root``, the browsable list of ``/api/v1/``) lists the viewsets registered in
``api_routes``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from django.urls import include, path
from django.utils.module_loading import import_string

from .registry import Registry, RegistryError


@dataclass(frozen=True)
class UrlInclude:
    key: str
    prefix: str  # "ho-so/"; "" for addresses at the root
    urls: str | Callable[[], list]  # a urlconf module's dotted path, or a callable giving patterns
    order: int = 0
    extends: str = ""  # key of another include whose namespace and prefix these patterns join

    def patterns(self) -> list:
        if callable(self.urls):
            return list(self.urls())
        return list(import_module(self.urls).urlpatterns)

    def app_name(self) -> str | None:
        if callable(self.urls):
            return None
        return getattr(import_module(self.urls), "app_name", None)


@dataclass(frozen=True)
class ApiRoute:
    """A viewset of the API root router (``/api/v1/<prefix>/``)."""

    key: str  # the basename: "procedure" gives procedure-list and procedure-detail
    prefix: str
    viewset: str  # dotted path, imported when the URLs are built
    order: int = 0


includes: Registry[UrlInclude] = Registry("URL includes")
api_routes: Registry[ApiRoute] = Registry("API routes")


def api_root_urls() -> list:
    """The root router's patterns: ``api-root`` and the registered viewsets."""
    from .api import RootRouter

    router = RootRouter()
    for route in api_routes:
        router.register(route.prefix, import_string(route.viewset), basename=route.key)
    return router.urls


def urlpatterns() -> list:
    """One ``path(prefix, include(…))`` per registered include, extensions merged in."""
    extensions: dict[str, list[UrlInclude]] = {}
    for entry in includes:
        if entry.extends:
            if entry.extends not in includes:
                raise RegistryError(
                    f"URL include {entry.key!r} extends {entry.extends!r}, which is not registered"
                )
            extensions.setdefault(entry.extends, []).append(entry)
    patterns = []
    for entry in includes:
        if entry.extends:
            continue
        joined = entry.patterns()
        for extension in extensions.get(entry.key, ()):
            joined += extension.patterns()
        app_name = entry.app_name()
        target = (joined, app_name) if app_name else joined
        patterns.append(path(entry.prefix, include(target)))
    return patterns
