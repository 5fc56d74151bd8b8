from django.urls import path

from cchc.common.api import Router

from . import views

router = Router()
router.register("dossiers", views.DossierViewSet, basename="dossier")
router.register("online-dossiers", views.OnlineDossierViewSet, basename="online-dossier")

urlpatterns = [
    path("lookup/", views.LookupView.as_view(), name="api-lookup"),
    *router.urls,
]
