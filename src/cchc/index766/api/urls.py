from django.urls import path

from . import views

urlpatterns = [
    path("index766/", views.IndexView.as_view(), name="index766-api"),
    path("index766/ranking/", views.RankingView.as_view(), name="index766-ranking-api"),
]
