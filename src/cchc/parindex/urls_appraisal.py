"""PAR INDEX pages (chi-so-cchc/…); joined into one ``parindex`` namespace by ``hooks``."""

urlpatterns: list = []
