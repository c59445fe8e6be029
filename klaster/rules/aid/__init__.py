"""De minimis aid (SPEC §5, AID-1…AID-3), pure: the aid file and the check of one new grant.

- :mod:`klaster.rules.aid.model` — what the file holds (undertakings, control links, mergers,
  splits, grants, NBP table A EUR rates), as frozen dataclasses;
- :mod:`klaster.rules.aid.load` — reading and validating a ``klaster-aid/1`` file
  (shared/spec/AID-DATASET.md), every problem named by its field's path;
- :mod:`klaster.rules.aid.check` — the rules: the single undertaking on a day (AID-1), the
  NBP rate of a day (AID-2), mergers and splits, the window, the ceiling and the verdict (AID-3);
- :mod:`klaster.rules.aid.output` — the JSON and the Polish text `klaster aid check` prints;
- :mod:`klaster.rules.aid.cli` — `klaster aid check`, run without Django.
"""
