"""The public lookup of a dossier by its code (``lookup``, at ``tra-cuu/``): a name without a
namespace, printed in QR codes and receipts since the first release."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.public_lookup, name="lookup"),
]
