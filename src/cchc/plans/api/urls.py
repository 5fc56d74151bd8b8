"""The plans API under ``/api/v1/plans/``."""

urlpatterns: list = []
