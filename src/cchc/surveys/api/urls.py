"""The surveys API under ``/api/v1/surveys/``."""

urlpatterns = []
