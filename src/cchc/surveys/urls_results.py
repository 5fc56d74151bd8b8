"""Survey pages: the results part (khao-sat/…), joined into the ``surveys`` namespace by ``hooks``."""

app_name = "surveys"

urlpatterns = []
