"""Steering committee pages (ban-chi-dao/…), namespace ``committee``."""

app_name = "committee"

urlpatterns: list = []
