"""PAR INDEX API: results."""

urlpatterns: list = []
