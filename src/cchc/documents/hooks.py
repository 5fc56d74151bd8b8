"""The documents app's entries in the shared registries (docs/registries.md).

Besides its own pages (the forms of a dossier, the log book), it adds the citizen's PDFs to the
citizen pages' namespace, which belongs to ``cchc.dossiers`` (``extends="citizen"``).
"""

from cchc.common.routes import UrlInclude, includes

includes.register(UrlInclude("documents", "", "cchc.documents.urls", order=60))
includes.register(
    UrlInclude("documents-citizen", "", "cchc.documents.citizen_urls", order=85, extends="citizen")
)
