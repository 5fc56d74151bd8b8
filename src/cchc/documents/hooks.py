"""The documents app's entries in the shared registries (docs/registries.md).

The official forms of a dossier register themselves in ``builders.forms`` where they are built
(``rendering``). Besides its own pages (the forms of a dossier, the log book), the app adds the
citizen's PDFs to the citizen pages' namespace, which belongs to ``cchc.dossiers``
(``extends="citizen"``).
"""

from cchc.common.routes import UrlInclude, includes

from . import rendering  # noqa: F401  (its six official forms register themselves: builders.py)

includes.register(UrlInclude("documents", "", "cchc.documents.urls", order=60))
includes.register(
    UrlInclude("documents-citizen", "", "cchc.documents.citizen_urls", order=85, extends="citizen")
)
