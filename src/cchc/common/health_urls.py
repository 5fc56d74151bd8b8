"""``/healthz`` and ``/readyz`` (cchc.common.health), outside every namespace: probes know them."""

from django.urls import path

from . import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", health._metrics, name="metrics"),
]
