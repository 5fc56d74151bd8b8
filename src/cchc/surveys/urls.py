"""Questionnaire pages (khao-sat/…), namespace ``surveys``."""

from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("phieu/", views.questionnaires, name="questionnaires"),
    path("phieu/<int:pk>/", views.questionnaire, name="questionnaire"),
    path("phieu/<int:pk>/phien-ban-moi/", views.questionnaire_new_version, name="new_version"),
    path("phieu/<int:pk>/khoa/", views.questionnaire_freeze, name="freeze"),
    path("phieu/<int:pk>/muc-moi/", views.section_add, name="section_add"),
    path(
        "phieu/<int:pk>/muc/<int:section_pk>/cau-hoi-moi/", views.question_add, name="question_add"
    ),
    path("phieu/<int:pk>/muc/<int:section_pk>/xoa/", views.section_remove, name="section_remove"),
    path("phieu/<int:pk>/cau-hoi/<int:question_pk>/", views.question_edit, name="question_edit"),
    path(
        "phieu/<int:pk>/cau-hoi/<int:question_pk>/xoa/",
        views.question_remove,
        name="question_remove",
    ),
    path(
        "phieu/<int:pk>/cau-hoi/<int:question_pk>/di-chuyen/",
        views.question_move,
        name="question_move",
    ),
]
