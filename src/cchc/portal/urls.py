from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("don-vi-cua-toi/", views.my_units, name="my_units"),
    path("favicon.ico", views.favicon, name="favicon"),
]
