from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("ho-so/<int:pk>/bieu-mau/<slug:form_key>.pdf", views.form_pdf, name="form_pdf"),
    path("so-theo-doi.xlsx", views.log_book, name="log_book"),
]
