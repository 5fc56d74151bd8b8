from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("", views.home, name="home"),
    path("cap-nhat/", views.live, name="live"),
    path("qua-han/", views.overdue, name="overdue"),
]
