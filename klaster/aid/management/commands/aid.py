"""`klaster aid import FILE --cluster SLUG` and `klaster aid headroom CLUSTER --undertaking NIP
--date YYYY-MM-DD [--regulation R] [--format json|text]` (issue 11 points 1 and 8).

`klaster aid check` (the file alone, no database) is not here: the console script runs it
without Django (klaster.rules.aid.cli); only these two subcommands come to Django.

- **import** puts a ``klaster-aid/1`` file (AID-DATASET.md) into the cluster's register, all or
  nothing (klaster.aid.dataset): a summary on stdout, exit 0; a malformed file or a conflict
  with the register exits 2 with every problem on stderr, nothing written.
- **headroom** answers what `klaster aid check` answers on the same data, from the register,
  through the one engine path (klaster.aid.engine.verdict) with an amount of 0: the same JSON
  keys in the same order — ``amount`` is ``{"pln": "0.00", "eur": "0.00"}``, ``allowed`` says
  whether the history is within the ceiling (true unless it already exceeds it, which a merger
  can lawfully do: then the headroom is 0, ``allowed`` false with ``reason``
  ``"ceiling_exceeded"``, as `aid check` refuses any amount then). Exit 0 for any answer; 2 with
  a Polish message on stderr and nothing on stdout for an unknown cluster or NIP, a date that is
  not one, a regulation not applicable on the date, a missing NBP rate.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand

from klaster.rules.message import Msg, define

EXIT_BAD_INPUT = 2

NO_CLUSTER = define(
    "aid.cli.no_cluster", "there is no cluster “{slug}”; the clusters: klaster clusters"
)
SUMMARY = define(
    "aid.cli.imported",
    "Imported {file} into {cluster}: {undertakings} new undertakings ({undertakings_kept} "
    "already in the register), {links} links, {mergers} mergers, {splits} splits, {grants} "
    "grants ({grants_kept} already in the register), {rates} NBP tables ({rates_kept} already "
    "stored); the NBP series is complete through {through}.",
)
NO_SERIES = define("aid.cli.no_series", "(no date)")


class _Refused(Exception):
    def __init__(self, where: str, lines: list[str]) -> None:
        self.where = where
        self.lines = lines


class Command(BaseCommand):
    help = (
        "Pomoc de minimis z rejestru klastra: import pliku klaster-aid/1 i limit (headroom) "
        "przedsiębiorstwa w danym dniu."
    )

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser(
            "import", help="import pliku klaster-aid/1 do rejestru klastra (wszystko albo nic)"
        )
        imp.add_argument("file", metavar="PLIK")
        imp.add_argument("--cluster", required=True, metavar="KLASTER")
        head = sub.add_parser(
            "headroom",
            help="pomoc wykorzystana i pozostały limit z rejestru klastra (jak aid check)",
        )
        head.add_argument("cluster", metavar="KLASTER")
        head.add_argument("--undertaking", required=True, metavar="NIP")
        head.add_argument("--date", required=True, metavar="RRRR-MM-DD")
        head.add_argument("--regulation", choices=("1407/2013", "2023/2831"), default=None)
        head.add_argument("--format", choices=("json", "text"), default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "import":
                self._import(options)
            else:
                self._headroom(options)
        except _Refused as refused:
            for line in refused.lines:
                self.stderr.write(f"{refused.where}: {line}")
            raise SystemExit(EXIT_BAD_INPUT) from None

    # -- helpers -----------------------------------------------------------------------------

    @staticmethod
    def _cluster(slug: str, where: str) -> Any:
        from klaster.core.models import Cluster
        from klaster.rules.message import say

        cluster = Cluster.objects.filter(slug=slug).first()
        if cluster is None:
            raise _Refused(where, [say(Msg.of(NO_CLUSTER, slug=slug), "pl")])
        return cluster

    # -- import ------------------------------------------------------------------------------

    def _import(self, options: dict[str, Any]) -> None:
        from klaster.aid.dataset import ImportRefused, register_import
        from klaster.rules.aid.load import AidFileError, load_path
        from klaster.rules.message import say

        where = "klaster aid import"
        cluster = self._cluster(options["cluster"], where)
        path = options["file"]
        try:
            aid_file = load_path(path)
        except AidFileError as exc:
            lines = exc.render("pl")
            raise _Refused(
                where, [ln if ln.startswith(path) else f"{path}: {ln}" for ln in lines]
            ) from None
        try:
            done = register_import(cluster=cluster, aid_file=aid_file, filename=str(path))
        except ImportRefused as exc:
            raise _Refused(where, [f"{path}: {say(i, 'pl')}" for i in exc.issues]) from None
        through: Any = done.complete_through or Msg.of(NO_SERIES)
        self.stdout.write(
            say(
                Msg.of(
                    SUMMARY,
                    file=str(path),
                    cluster=cluster.slug,
                    undertakings=done.undertakings,
                    undertakings_kept=done.undertakings_kept,
                    links=done.links,
                    mergers=done.mergers,
                    splits=done.splits,
                    grants=done.grants,
                    grants_kept=done.grants_kept,
                    rates=done.rates,
                    rates_kept=done.rates_kept,
                    through=through,
                ),
                "pl",
            )
        )
        for note in done.notes:
            self.stdout.write(say(note, "pl"))

    # -- headroom ----------------------------------------------------------------------------

    def _headroom(self, options: dict[str, Any]) -> None:
        from klaster.aid import engine
        from klaster.rules.aid.check import AidRefused
        from klaster.rules.aid.cli import BAD_DATE
        from klaster.rules.aid.load import parse_date
        from klaster.rules.aid.output import dumps, to_text
        from klaster.rules.message import say

        where = "klaster aid headroom"
        cluster = self._cluster(options["cluster"], where)
        day = parse_date(options["date"])
        if day is None:
            raise _Refused(where, [say(Msg.of(BAD_DATE, value=repr(options["date"])), "pl")])
        try:
            verdict = engine.verdict(
                cluster.pk, options["undertaking"], day, Decimal("0.00"), options["regulation"]
            )
        except AidRefused as exc:
            raise _Refused(where, [say(exc.message, "pl")]) from None
        if options["format"] == "json":
            text = dumps(verdict)
        else:
            text = to_text(verdict, named=options["regulation"] is not None)
        self.stdout.write(text, ending="")
        self.stdout.flush()
