from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("", views.public_list, name="public_list"),
    path("gui/", views.submit, name="submit"),
    path("da-gui/<str:code>/", views.confirmation, name="confirmation"),
    path("cong-khai/<str:code>/", views.public_detail, name="public_detail"),
    path("tra-cuu/", views.lookup, name="lookup"),
    path("danh-gia/<str:code>/<str:token>/", views.rate, name="rate"),
    path("cua-toi/", views.mine, name="mine"),
    path("cua-toi/<str:code>/", views.my_detail, name="my_detail"),
    path("xu-ly/", views.queue, name="queue"),
    path("xu-ly/hang-doi/<slug:slug>/", views.queue, name="queue_named"),
    path("xu-ly/<int:pk>/", views.detail, name="detail"),
    path("xu-ly/<int:pk>/<str:action>/", views.act, name="act"),
]
