"""Routes added to the citizen pages' namespace (``citizen``, under ``cong-dan/``): see hooks.py."""

from django.urls import path

from . import citizen_views as views

app_name = "citizen"

urlpatterns = [
    path("ho-so/<int:pk>/bien-nhan.pdf", views.acknowledgement_file, name="acknowledgement_file"),
    path("ho-so/<int:pk>/giay-tiep-nhan.pdf", views.receipt_file, name="receipt_file"),
]
