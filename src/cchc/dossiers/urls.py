from django.urls import path

from . import views

app_name = "dossiers"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("hang-doi/<slug:slug>/", views.queue, name="queue_named"),
    path("tiep-nhan/", views.intake, name="intake"),
    path("tiep-nhan/danh-muc-giay-to/", views.intake_checklist, name="intake_checklist"),
    path("tiep-nhan/tra-cuu-nguoi-nop/", views.applicant_lookup, name="applicant_lookup"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/giay-tiep-nhan/", views.receipt, name="receipt"),
    path("<int:pk>/xin-loi/", views.apology_draft, name="apology_draft"),
    path("<int:pk>/xin-loi/<int:letter_pk>/", views.apology_decide, name="apology_decide"),
    path("<int:pk>/giay-to/<int:component_pk>/", views.component_file, name="component_file"),
    path("<int:pk>/tep-ket-qua/", views.result_file, name="result_file"),
    path("<int:pk>/<str:action>/", views.act, name="act"),
]
