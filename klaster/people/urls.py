"""Pages of people and access (being built)."""

urlpatterns: list = []
