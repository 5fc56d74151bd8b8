"""Periodic reform report pages (bao-cao-cchc/…), namespace ``reformreports``."""

app_name = "reformreports"

urlpatterns: list = []
