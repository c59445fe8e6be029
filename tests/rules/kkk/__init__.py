"""KKK scoring engine tests (SPEC §6); run with `pytest -p no:django tests/rules/kkk`."""
