from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("", views.procedure_list, name="list"),
    path("<str:code>/", views.procedure_detail, name="detail"),
    path("<str:code>/du-kien/", views.procedure_preview, name="preview"),
]
