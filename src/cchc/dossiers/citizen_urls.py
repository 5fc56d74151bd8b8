from django.urls import path

from . import citizen_views as views

app_name = "citizen"

# The acknowledgement and receipt PDFs (citizen:acknowledgement_file, citizen:receipt_file) are
# added to this namespace by cchc.documents (documents/citizen_urls.py).

urlpatterns = [
    path("dang-ky/", views.signup, name="signup"),
    path("nop/<str:code>/", views.submit, name="submit"),
    path("ho-so/", views.my_dossiers, name="my_dossiers"),
    path("ho-so/<int:pk>/", views.my_dossier, name="my_dossier"),
    path(
        "ho-so/<int:pk>/giay-to/<int:component_pk>/",
        views.component_file,
        name="component_file",
    ),
    path("ho-so/<int:pk>/tep-ket-qua/", views.result_file, name="result_file"),
    path("ho-so/<int:pk>/bien-nhan/", views.acknowledgement, name="acknowledgement"),
    path("ho-so/<int:pk>/nop/", views.submit_draft, name="submit_draft"),
    path("ho-so/<int:pk>/bo-sung/", views.supplement, name="supplement"),
    path("ho-so/<int:pk>/rut/", views.withdraw, name="withdraw"),
    path("ho-so/<int:pk>/danh-gia/", views.rate, name="rate"),
]
