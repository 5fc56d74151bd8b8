"""Survey pages, the campaigns part (khao-sat/dot/…), joined to the ``surveys`` namespace."""

from django.urls import path

from . import views_campaigns as views

app_name = "surveys"

urlpatterns = [
    path("dot/", views.campaign_list, name="campaigns"),
    path("dot/moi/", views.campaign_create, name="campaign_create"),
    path("dot/<int:pk>/", views.campaign_detail, name="campaign"),
    path("dot/<int:pk>/sua/", views.campaign_edit, name="campaign_edit"),
    path("dot/<int:pk>/ma-qr/<int:unit_pk>/", views.campaign_qr, name="campaign_qr"),
    path("dot/<int:pk>/<slug:action>/", views.campaign_act, name="campaign_act"),
]
