"""Survey results pages (khao-sat/…), joined to the ``surveys`` namespace.

``ket-qua/`` (campaigns), ``ket-qua/<code>/`` (ranking and charts), ``…/y-kien/`` (open-text
answers), ``…/ket-qua.xlsx``, ``…/bao-cao.pdf``, ``…/tra-loi.csv``, ``…/tra-loi.xlsx`` (raw
responses); public, no login: ``cong-khai/`` and ``cong-khai/<code>/`` (published only)."""

from django.urls import path

from . import views_results as views

app_name = "surveys"

urlpatterns = [
    path("ket-qua/", views.results_index, name="results_index"),
    path("ket-qua/<slug:code>/", views.results_campaign, name="results_campaign"),
    path("ket-qua/<slug:code>/y-kien/", views.results_texts, name="results_texts"),
    path("ket-qua/<slug:code>/ket-qua.xlsx", views.results_xlsx, name="results_xlsx"),
    path("ket-qua/<slug:code>/bao-cao.pdf", views.results_pdf, name="results_pdf"),
    path("ket-qua/<slug:code>/tra-loi.csv", views.raw_csv, name="results_raw_csv"),
    path("ket-qua/<slug:code>/tra-loi.xlsx", views.raw_xlsx, name="results_raw_xlsx"),
    path("cong-khai/", views.public_index, name="public_index"),
    path("cong-khai/<slug:code>/", views.public_campaign, name="public_campaign"),
]
