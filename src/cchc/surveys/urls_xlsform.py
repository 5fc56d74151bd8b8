"""Survey pages, the XLSForm part (khao-sat/…), joined to the ``surveys`` namespace."""

from django.urls import path

from . import views_xlsform

app_name = "surveys"

urlpatterns = [
    path("phieu/nhap-xlsform/", views_xlsform.xlsform_import, name="xlsform_import"),
    path("phieu/<int:pk>/xlsform/", views_xlsform.xlsform_export, name="xlsform_export"),
]
