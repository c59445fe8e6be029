"""argparse in Polish for the pure command lines (`klaster kkk`, `klaster aid`): the usage and
help headings, argparse's own refusals translated, a refusal raised as `Refused(code)` instead of
exiting the process (the callers return the code; the console script exits with it), and the
terminal's width read without importing shutil (argparse asks on every parser made)."""

from __future__ import annotations

import argparse
import os
import re
import sys

EXIT_BAD_INPUT = 2


class Refused(Exception):
    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


# argparse's own messages, in Polish (its texts go through gettext, which has no Polish
# catalogue installed here).
ARGPARSE_PL = (
    (
        re.compile(r"^the following arguments are required: (.*)$"),
        r"brak wymaganych argumentów: \1",
    ),
    (re.compile(r"^unrecognized arguments: (.*)$"), r"nierozpoznane argumenty: \1"),
    (
        re.compile(r"^argument (.*?): invalid choice: (.*?) \(choose from (.*)\)$"),
        r"argument \1: niedozwolona wartość \2 (dozwolone: \3)",
    ),
    (
        re.compile(r"^argument (.*?): expected one argument$"),
        r"argument \1: oczekiwano jednej wartości",
    ),
)


def terminal_columns() -> int:
    """``shutil.get_terminal_size().columns``, without importing shutil (and bz2, lzma) for
    it: argparse asks on every parser made, not only for --help."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        stdout = sys.__stdout__
        try:
            columns = os.get_terminal_size(stdout.fileno()).columns if stdout is not None else 0
        except (AttributeError, ValueError, OSError):
            columns = 0
        columns = columns or 80
    return columns


class Formatter(argparse.HelpFormatter):
    def __init__(
        self,
        prog: str,
        indent_increment: int = 2,
        max_help_position: int = 24,
        width: int | None = None,
    ) -> None:
        if width is None:  # as argparse's own default
            width = terminal_columns() - 2
        super().__init__(prog, indent_increment, max_help_position, width)

    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        super().add_usage(usage, actions, groups, "użycie: " if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("formatter_class", Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "argumenty"
        self._optionals.title = "opcje"
        self.add_argument(
            "-h",
            "--help",
            action="help",
            default=argparse.SUPPRESS,
            help="pokazuje tę pomoc i kończy działanie",
        )

    def exit(self, status: int = 0, message: str | None = None) -> None:  # type: ignore[override]
        if message:
            self._print_message(message, sys.stderr)
        raise Refused(status)

    def error(self, message: str) -> None:  # type: ignore[override]
        for pattern, polish in ARGPARSE_PL:
            message = pattern.sub(polish, message)
        # to stderr, as argparse does: stdout stays empty on every refusal (DATASET.md)
        self.print_usage(sys.stderr)
        self._print_message(f"{self.prog}: błąd: {message}\n", sys.stderr)
        raise Refused(EXIT_BAD_INPUT)
