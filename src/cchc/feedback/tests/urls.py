"""The project's URLs plus the feedback API under /api/v1/, as the lead will mount it."""

from django.urls import include, path

from cchc.urls import urlpatterns as project_urlpatterns

urlpatterns = [path("api/v1/", include("cchc.feedback.api.urls")), *project_urlpatterns]
