"""Data files shipped with klaster.rules (read from this directory, never downloaded)."""
