"""`makemessages` that also extracts rule message templates (klaster/rules/message.py).

`define("quorum.nobody", "No quorum …")` in a pure rule is a pgettext entry whose context is
the code: the standard keywords plus `define:1c,2`.
"""

from __future__ import annotations

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=define:1c,2"]
