from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("nhap-tu-tep/", views.tree_import, name="import"),
    path("nhap-tu-tep/mau.csv", views.template_csv, name="import_template_csv"),
    path("nhap-tu-tep/mau.xlsx", views.template_xlsx, name="import_template_xlsx"),
]
