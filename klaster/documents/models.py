"""Documents: the cluster's document archive with versions and search (PLT-3)."""
