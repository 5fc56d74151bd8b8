"""Reform inspection pages (kiem-tra-cchc/…), namespace ``inspections``.

``inspections:inspection`` (``/kiem-tra-cchc/<id>/``) is the stable address a unit cites as PAR
INDEX evidence of kind "record" (docs/inspections.md).
"""

from django.urls import path

from . import views

app_name = "inspections"

urlpatterns = [
    path("", views.index, name="index"),
    path("ke-hoach/moi/", views.plan_create, name="plan_create"),
    path("ke-hoach/<int:pk>/", views.plan_detail, name="plan"),
    path("ke-hoach/<int:pk>/van-ban.pdf", views.plan_document, name="plan_document"),
    path("ke-hoach/<int:pk>/<slug:action>/", views.plan_act, name="plan_act"),
    path("kien-nghi/", views.recommendations, name="recommendations"),
    path("kien-nghi/<int:pk>/khac-phuc/", views.remediation, name="remediation"),
    path("<int:pk>/", views.inspection_detail, name="inspection"),
    path("<int:pk>/thong-bao-ket-luan.docx", views.conclusion_docx, name="conclusion_docx"),
    path("<int:pk>/thong-bao-ket-luan.pdf", views.conclusion_pdf, name="conclusion_pdf"),
    path(
        "<int:pk>/<slug:action>/",
        views.act,
        name="act",
    ),
]
