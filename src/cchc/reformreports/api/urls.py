"""The reformreports API under ``/api/v1/``."""

urlpatterns: list = []
