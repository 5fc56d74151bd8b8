from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report, name="report"),
    path("ho-so/", views.drill, name="drill"),
    path("bao-cao.xlsx", views.xlsx, name="xlsx"),
    path("bao-cao.pdf", views.pdf, name="pdf"),
]
