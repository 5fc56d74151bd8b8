"""Routes added to the citizen pages' namespace (``citizen``, under ``cong-dan/``): see hooks.py."""

from django.urls import path

from . import views

app_name = "citizen"

urlpatterns = [
    path("du-lieu-ca-nhan/", views.personal_data, name="personal_data"),
    path("du-lieu-ca-nhan.json", views.personal_data_download, name="personal_data_download"),
]
