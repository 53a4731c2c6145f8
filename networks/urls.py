"""Network pages: my networks, the directory, a network's home, managing it, its audit log."""

app_name = "networks"

urlpatterns = []
