from django.urls import path

from . import views

app_name = "workdays"

urlpatterns = [
    path("tinh-han/", views.calculator, name="calculator"),
    path("lich-lam-viec/", views.calendar_year, name="calendar"),
]
