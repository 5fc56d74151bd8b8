"""The reading pages of the plans app, joined to the ``plans`` namespace (ke-hoach-cchc/…)."""

from django.urls import path

from . import views_progress

urlpatterns = [
    path("tien-do/", views_progress.completion, name="progress"),
    path("tien-do/ke-hoach/<int:pk>/", views_progress.completion_of_plan, name="progress_plan"),
    path("tien-do/theo-don-vi/", views_progress.completion_by_unit, name="progress_units"),
    path("qua-han/", views_progress.overdue, name="overdue"),
]
