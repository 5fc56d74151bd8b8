"""Survey pages, the answers part (khao-sat/…), joined to the ``surveys`` namespace."""

app_name = "surveys"

urlpatterns = []
