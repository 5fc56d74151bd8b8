"""PAR INDEX pages (chi-so-cchc/…); joined into one ``parindex`` namespace by ``hooks``.

Results: ``ket-qua/`` (rounds), ``ket-qua/<round>/`` (ranking and charts), ``…/don-vi/<code>/``
(a unit's result and where it loses points), ``…/tieu-chi-mat-diem/`` (leaves most units lose),
``…/tong-hop.xlsx``, ``…/phu-luc.pdf``, ``…/diem-dieu-tra/`` (survey points import). Public, no
login: ``cong-khai/`` and ``cong-khai/<round>/`` (published rounds only)."""

from django.urls import path

from . import views_results as views

urlpatterns: list = [
    path("ket-qua/", views.results_index, name="results_index"),
    path("ket-qua/<int:pk>/", views.results_round, name="results_round"),
    path("ket-qua/<int:pk>/don-vi/<str:code>/", views.results_unit, name="results_unit"),
    path("ket-qua/<int:pk>/tieu-chi-mat-diem/", views.results_losses, name="results_losses"),
    path("ket-qua/<int:pk>/tong-hop.xlsx", views.results_xlsx, name="results_xlsx"),
    path("ket-qua/<int:pk>/phu-luc.pdf", views.results_pdf, name="results_pdf"),
    path("ket-qua/<int:pk>/diem-dieu-tra/", views.survey_import, name="survey_import"),
    path("cong-khai/", views.public_results, name="public_results"),
    path("cong-khai/<int:pk>/", views.public_round, name="public_round"),
]
