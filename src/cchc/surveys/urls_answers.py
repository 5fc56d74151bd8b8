"""Survey pages, the answers part (khao-sat/…), joined to the ``surveys`` namespace: the
respondent's pages (link, QR, kiosk), paper double entry and the review of flagged responses."""

from django.urls import path

from . import views_answers as views

app_name = "surveys"

urlpatterns = [
    path("tai-quay/", views.counter, name="counter"),
    path("tra-loi/<str:token>/", views.answer_link, name="answer"),
    path("qr/<slug:campaign_code>/<str:unit_code>/", views.answer_qr, name="answer_qr"),
    path("cam-on/", views.answer_thanks, name="answer_thanks"),
    path("kiosk/<slug:campaign_code>/<str:unit_code>/", views.kiosk, name="kiosk"),
    path(
        "kiosk/<slug:campaign_code>/<str:unit_code>/gui/",
        views.kiosk_submit,
        name="kiosk_submit",
    ),
    path("phieu-giay/<slug:campaign_code>/<str:unit_code>/", views.paper_entry, name="paper"),
    path(
        "phieu-giay/<slug:campaign_code>/<str:unit_code>/doi-chieu/",
        views.paper_resolve,
        name="paper_resolve",
    ),
    path("duyet/<slug:campaign_code>/", views.review, name="review"),
    path("duyet/<slug:campaign_code>/<int:pk>/", views.review_decide, name="review_decide"),
]
