"""PAR INDEX pages (chi-so-cchc/…); joined into one ``parindex`` namespace by ``hooks``."""

app_name = "parindex"

urlpatterns: list = []
