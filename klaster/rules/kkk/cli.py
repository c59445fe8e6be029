"""`klaster kkk evaluate FILE [--as-of YYYY-MM-DD] [--format json|text]`, as a pure function.

main(argv, stdout, stderr) -> exit code. 0 whatever the verdict (DATASET.md); 2 on bad
arguments, an unreadable or malformed file, or a dataset that cannot be evaluated — with the
message on stderr and nothing at all on stdout (the output is written only once complete).
The console script routes `klaster kkk ...` here without starting Django, so the loader
and the gazetteer are imported lazily.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import re
from contextlib import nullcontext, redirect_stderr, redirect_stdout
from typing import Any, TextIO

from klaster.rules.cli_pl import Parser, Refused
from klaster.rules.kkk.context import KkkError, Locate
from klaster.rules.kkk.editions import DEFAULT_EDITION, EDITIONS

EXIT_OK = 0
EXIT_BAD_INPUT = 2

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_UNSEEN: Any = object()


def _date(text: str) -> dt.date:
    if not _ISO_DATE.match(text):
        raise argparse.ArgumentTypeError(f"niepoprawna data {text!r}: oczekiwano RRRR-MM-DD")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"niepoprawna data {text!r}: nie ma takiego dnia"
        ) from None


def _parser() -> Parser:
    parser = Parser(
        prog="klaster kkk",
        description="Ocena wniosku o status Krajowego Klastra Kluczowego (SPEC §6) z pliku danych klastra.",
    )
    sub = parser.add_subparsers(
        dest="command", metavar="POLECENIE", parser_class=Parser, title="polecenia"
    )
    sub.required = True
    ev = sub.add_parser(
        "evaluate",
        help="ocenia klaster z pliku danych (YAML lub JSON)",
        description=(
            "Ocenia klaster: etap I (kryteria KKK-S1-1…21), etap II (wskaźniki KKK-S2-9…34), "
            "etap III (panel) i status. Kod wyjścia 0 niezależnie od wyniku; 2, gdy plik lub "
            "argumenty są błędne (komunikat na stderr, nic na stdout)."
        ),
    )
    ev.add_argument(
        "file",
        metavar="PLIK",
        help="plik danych klastra (.yaml, .yml lub .json; format DATASET.md)",
    )
    ev.add_argument(
        "--as-of",
        type=_date,
        default=None,
        metavar="RRRR-MM-DD",
        help="data oceny D (domyślnie as_of z pliku)",
    )
    ev.add_argument(
        "--format",
        choices=("json", "text"),
        default="json",
        help="json — dane dla innych narzędzi (domyślnie); text — raport po polsku",
    )
    ev.add_argument(
        "--edition",
        choices=sorted(EDITIONS),
        default=DEFAULT_EDITION,
        help=f"edycja konkursu (domyślnie {DEFAULT_EDITION})",
    )
    return parser


def _geo_locate() -> Locate | None:
    """klaster.rules.geo's offline gazetteer, when it is installed: address → (lat, lon)."""
    try:
        from klaster.rules import geo
    except ImportError:
        return None
    find = getattr(geo, "locate", None)
    if find is None:
        return None
    by_code = geo.postal_code_position

    # Only the postal code and the town place an address, and members share them often.
    seen: dict[tuple[object, object], tuple[float, float] | None] = {}

    def locate(address: object) -> tuple[float, float] | None:
        key = (getattr(address, "postal_code", None), getattr(address, "city", None))
        placed: tuple[float, float] | None = seen.get(key, _UNSEEN)
        if placed is _UNSEEN:
            # A postal code in the gazetteer places the address whatever the town (the town
            # only adds a remark then): the code alone is looked up first, in the codes'
            # table (the whole gazetteer — places, folded town names — is built only when
            # some code does not place its address), and the code with the town after.
            placed = by_code(key[0]) if key[0] else None
            if placed is None:
                place = find(*key)
                placed = None if place is None else (float(place.lat), float(place.lon))
            seen[key] = placed
        return placed

    return locate


def _messages(exc: BaseException) -> list[str]:
    for attr in ("errors", "messages"):
        lines = getattr(exc, attr, None)
        if isinstance(lines, list) and lines:
            return [str(line) for line in lines]
    return [str(exc) or exc.__class__.__name__]


def main(argv: list[str], stdout: TextIO, stderr: TextIO) -> int:
    return run(argv, stdout, stderr)[0]


def run(argv: list[str], stdout: TextIO, stderr: TextIO) -> tuple[int, tuple[object, ...]]:
    """What main() does; also returns the large objects it made (the parsed file, the
    dataset, the evaluation), for a caller that leaves their memory to the operating system
    instead of freeing them one by one: the `klaster kkk` process (klaster.cli)."""
    try:
        with redirect_stdout(stdout), redirect_stderr(stderr):
            args = _parser().parse_args(argv)
    except Refused as refused:
        return refused.code, ()

    try:
        # lazy: `klaster kkk --help` and bad arguments never pay for the loader
        loader = importlib.import_module("klaster.rules.dataset.load")
    except ImportError as exc:
        stderr.write(f"klaster kkk: nie można wczytać pliku — brak modułu ładującego ({exc})\n")
        return EXIT_BAD_INPUT, ()
    malformed: tuple[type[BaseException], ...] = (
        getattr(loader, "DatasetError", ValueError),
        ValueError,
        OSError,
    )
    # The loader, and then the engine, make many short-lived objects and no cycles worth
    # collecting: pausing the collector saves a tenth or two on a 10,000-member file.
    paused = getattr(loader, "gc_paused", nullcontext)
    parsed: object = None
    try:
        with paused():
            if hasattr(loader, "read_path"):
                parsed, dataset = loader.read_path(args.file)
            else:
                dataset = loader.load_path(args.file)
    except malformed as exc:
        for line in _messages(exc):
            stderr.write(line + "\n" if line.startswith(args.file) else f"{args.file}: {line}\n")
        return EXIT_BAD_INPUT, (parsed,)

    from klaster.rules.dataset.model import Dataset
    from klaster.rules.kkk.engine import evaluate
    from klaster.rules.kkk.output import dumps
    from klaster.rules.kkk.report import to_text

    if not isinstance(dataset, Dataset):
        stderr.write(f"{args.file}: wczytany obiekt nie jest zbiorem danych klastra\n")
        return EXIT_BAD_INPUT, (parsed, dataset)
    try:
        with paused():
            result = evaluate(dataset, as_of=args.as_of, edition=args.edition, locate=_geo_locate())
            text = dumps(result) if args.format == "json" else to_text(result)
    except KkkError as exc:
        from klaster.rules.message import say

        stderr.write(f"{args.file}: {say(exc.message, 'pl')}\n")
        return EXIT_BAD_INPUT, (parsed, dataset)
    stdout.write(text)
    return EXIT_OK, (parsed, dataset, result, text)
