from django.urls import path

from . import views

urlpatterns = [
    path("workdays/deadline", views.DeadlineView.as_view(), name="workdays-deadline"),
    path("workdays/day", views.DayView.as_view(), name="workdays-day"),
]
