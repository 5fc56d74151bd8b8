"""Reform plan pages (ke-hoach-cchc/…), namespace ``plans``."""

app_name = "plans"

urlpatterns: list = []
