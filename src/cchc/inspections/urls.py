"""Reform inspection pages (kiem-tra-cchc/…), namespace ``inspections``."""

app_name = "inspections"

urlpatterns: list = []
