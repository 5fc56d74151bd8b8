from django.urls import path

app_name = "index766"

urlpatterns: list = []
