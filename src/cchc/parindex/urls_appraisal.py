"""PAR INDEX pages (chi-so-cchc/…); joined into one ``parindex`` namespace by ``hooks``.

This module: the appraisal council's workspace (thẩm định)."""

from django.urls import path

from . import views_appraisal as views

urlpatterns = [
    path("tham-dinh/<int:pk>/", views.appraisal_round, name="appraisal_round"),
    path("tham-dinh/don-vi/<int:pk>/", views.appraisal_assessment, name="appraisal_assessment"),
    path("tham-dinh/tieu-chi/<int:pk>/<str:action>/", views.appraisal_act, name="appraisal_act"),
]
