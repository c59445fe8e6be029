"""Bounds of the dataset reader itself (issue 7), shared by the JSON and YAML readers.

In a module of their own so that reading a JSON file does not import the YAML machinery.
"""

from __future__ import annotations

MAX_DEPTH = 20  # a valid dataset nests 5 levels (members[].years[] records); room to grow
MAX_ALIASES = 1_000  # our writer makes none; a hand-written file may reuse a list of ids
