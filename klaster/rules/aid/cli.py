"""`klaster aid check FILE --undertaking NIP --date YYYY-MM-DD --amount-pln X
[--regulation 1407/2013|2023/2831] [--format json|text]`, as a pure function.

main(argv, stdout, stderr) -> exit code (AID-DATASET.md): 0 for any verdict, allowed or
refused; 2 — a message on stderr naming the cause, nothing on stdout — for a malformed file,
bad arguments (a NIP not in the file or ceased by the date, a date or amount that is not one,
a regulation not applicable on the date) and a needed NBP rate that the file does not have.
The console script routes `klaster aid ...` here without starting Django.
"""

from __future__ import annotations

import datetime as dt
from contextlib import redirect_stderr, redirect_stdout
from typing import TextIO

from klaster.rules.aid.check import AidRefused, check
from klaster.rules.aid.load import AidFileError, load_path, parse_amount, parse_date, valid_nip
from klaster.rules.aid.model import CHECKED
from klaster.rules.cli_pl import Parser, Refused
from klaster.rules.message import Msg, define, say

EXIT_OK = 0
EXIT_BAD_INPUT = 2

PROG = "klaster aid"

BAD_DATE = define("aid.arg.date", "--date: not a date (YYYY-MM-DD): {value}")
BAD_AMOUNT = define(
    "aid.arg.amount",
    "--amount-pln: not an amount in PLN (a decimal above 0 with at most 2 decimals): {value}",
)
BAD_NIP = define(
    "aid.arg.nip", "--undertaking: not a NIP (10 digits with a valid check digit): {value}"
)


def _parser() -> Parser:
    parser = Parser(
        prog=PROG,
        description="Pomoc de minimis (SPEC §5, AID-1…AID-3) z pliku klaster-aid/1 (AID-DATASET.md).",
    )
    sub = parser.add_subparsers(
        dest="command", metavar="POLECENIE", parser_class=Parser, title="polecenia"
    )
    sub.required = True
    ch = sub.add_parser(
        "check",
        help="czy przedsiębiorstwo może otrzymać pomoc de minimis w danym dniu",
        description=(
            "Sprawdza, czy przedsiębiorstwo może otrzymać podaną kwotę pomocy de minimis w dniu "
            "udzielenia (dniu podpisania umowy, AID-2): jedno przedsiębiorstwo w tym dniu "
            "(AID-1), pomoc z okresu rozporządzenia po połączeniach i podziałach i pułap (AID-3). "
            "Kurs średni EUR z tabeli A NBP bierze się wyłącznie z pliku: z tabeli z danego dnia, "
            "a gdy tego dnia tabeli nie było — z ostatniej wcześniejszej, i tylko od pierwszej "
            "tabeli do eur_rates.complete_through; poza tym zakresem polecenie kończy się błędem, "
            "nigdy nie używa starszego kursu (AID-2). Kod wyjścia 0 "
            "niezależnie od wyniku; 2, gdy plik lub argumenty są błędne albo brak potrzebnego "
            "kursu (komunikat na stderr, nic na stdout)."
        ),
    )
    ch.add_argument("file", metavar="PLIK", help="plik pomocy (.yaml, .yml lub .json)")
    ch.add_argument(
        "--undertaking", required=True, metavar="NIP", help="przedsiębiorstwo otrzymujące pomoc"
    )
    ch.add_argument(
        "--date", required=True, metavar="RRRR-MM-DD", help="dzień udzielenia pomocy (umowy)"
    )
    ch.add_argument(
        "--amount-pln",
        required=True,
        metavar="KWOTA",
        help="wartość pomocy brutto w zł, np. 12500.00",
    )
    ch.add_argument(
        "--regulation",
        choices=CHECKED,
        default=None,
        help=(
            "rozporządzenie (domyślnie 1407/2013 przed 1.01.2024, później 2023/2831; "
            "1407/2013 najpóźniej do 30.06.2024)"
        ),
    )
    ch.add_argument(
        "--format",
        choices=("json", "text"),
        default="text",
        help="text — raport po polsku (domyślnie); json — dane dla innych narzędzi",
    )
    return parser


def _refuse(stderr: TextIO, message: Msg, where: str = PROG) -> int:
    stderr.write(f"{where}: {say(message, 'pl')}\n")
    return EXIT_BAD_INPUT


def main(argv: list[str], stdout: TextIO, stderr: TextIO) -> int:
    try:
        with redirect_stdout(stdout), redirect_stderr(stderr):
            args = _parser().parse_args(argv)
    except Refused as refused:
        return refused.code

    day = parse_date(args.date)
    if day is None or not isinstance(day, dt.date):
        return _refuse(stderr, Msg.of(BAD_DATE, value=repr(args.date)))
    amount = parse_amount(args.amount_pln)
    if amount is None:
        return _refuse(stderr, Msg.of(BAD_AMOUNT, value=repr(args.amount_pln)))
    if not valid_nip(args.undertaking):
        return _refuse(stderr, Msg.of(BAD_NIP, value=repr(args.undertaking)))

    try:
        aid_file = load_path(args.file)
    except AidFileError as exc:
        for line in exc.render("pl"):
            stderr.write(line + "\n" if line.startswith(args.file) else f"{args.file}: {line}\n")
        return EXIT_BAD_INPUT

    from klaster.rules.aid.output import dumps, to_text

    try:
        verdict = check(aid_file, args.undertaking, day, amount, args.regulation)
    except AidRefused as exc:
        return _refuse(stderr, exc.message)
    if args.format == "json":
        text = dumps(verdict)
    else:
        text = to_text(verdict, named=args.regulation is not None)
    stdout.write(text)
    return EXIT_OK
