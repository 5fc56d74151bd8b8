"""The reformreports API under ``/api/v1/``."""

from cchc.common.api import Router

from . import views

router = Router()
router.register("reform-reports", views.ReformReportViewSet, basename="reform-report")

urlpatterns: list = [*router.urls]
