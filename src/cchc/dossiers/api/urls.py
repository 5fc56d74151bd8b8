from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("dossiers", views.DossierViewSet, basename="dossier")
router.register("online-dossiers", views.OnlineDossierViewSet, basename="online-dossier")

urlpatterns = [
    path("lookup/", views.LookupView.as_view(), name="api-lookup"),
    *router.urls,
]
