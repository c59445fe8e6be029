"""Data files shipped with klaster.rules (read with importlib.resources, never downloaded)."""
