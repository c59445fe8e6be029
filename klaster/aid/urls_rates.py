"""Pages of the de minimis app (being built)."""

urlpatterns: list = []
