"""PAR INDEX API under ``/api/v1/parindex/``: the workflow (rounds, assessments, leaves) and the
results, each part in its own module."""

from . import results_urls, workflow_urls

urlpatterns = [*workflow_urls.urlpatterns, *results_urls.urlpatterns]
