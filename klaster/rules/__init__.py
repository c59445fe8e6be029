"""Pure rules of Klaster: statutes, KKK scoring, quorum, proxies, dues, identifiers, the dataset.

Nothing below this package may import Django (enforced by ruff's banned-api and a test).
"""
