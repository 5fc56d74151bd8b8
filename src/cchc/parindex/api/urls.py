"""PAR INDEX API under ``/api/v1/parindex/``."""

urlpatterns: list = []
