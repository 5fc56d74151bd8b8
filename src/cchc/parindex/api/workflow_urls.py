"""PAR INDEX API: workflow."""

urlpatterns: list = []
