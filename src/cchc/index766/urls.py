from django.urls import path

from . import views

app_name = "index766"

urlpatterns = [
    path("", views.index_page, name="index"),
]
