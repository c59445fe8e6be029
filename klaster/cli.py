"""The `klaster` console script.

`klaster kkk ...` runs the pure scoring engine without starting Django (it must be fast);
everything else hands off to Django's command runner, with hyphenated names mapped to
commands (`demo-data` → `demo_data`). DATABASE_URL selects the database for every command.

Django's system checks run before `serve` starts the web application, in `migrate`, and
whenever asked (`klaster check`); other commands skip them unless given `--checks`: they
import every URL and view (the API schema, the spreadsheet and PDF libraries), which is most
of a command's start. Management commands and the modules they import keep heavy imports
inside the functions that need them (tests/test_cli_start.py).
"""

from __future__ import annotations

import gc
import os
import sys
from typing import NoReturn

ALIASES = {
    "serve": "serve",
    "demo-data": "demo_data",
    "import": "import_dataset",
    "export": "export_dataset",
    "refresh-statuses": "refresh_statuses",
    "roles": "roles",
    "revoke-tokens": "revoke_tokens",
    "run-scheduled": "run_scheduled",
}

USAGE = """Użycie: klaster POLECENIE [argumenty]

  migrate                        utworzenie / aktualizacja bazy danych
  serve [ADRES:PORT]             uruchomienie aplikacji (domyślnie 127.0.0.1:8000)
  worker [--once]                zadania okresowe (serve uruchamia je sam; osobno przy KLASTER_WORKER=false)
  run-scheduled                  kolejkuje dzisiejsze zadania okresowe, każde raz na dobę (dla crona)
  mailbox                        poczta demonstracyjna: lokalny serwer SMTP (serve uruchamia go sam przy KLASTER_DEMO_MAILBOX=true)
  demo                           baza + klaster demonstracyjny + konta demonstracyjne
  backup PLIK                    kopia zapasowa: baza danych i przesłane pliki w jednym archiwum
  restore PLIK --yes             odtworzenie bazy i plików z kopii (sprawdza całość przed zmianą)
  bounce [PLIK]                  zapis zwrotu (raport doręczenia) przy wysłanej wiadomości; bez PLIKU: stdin
  import PLIK                    import klastra z pliku danych (YAML/JSON); wypisuje jego identyfikator
  export KLASTER PLIK            eksport klastra do pliku danych
  clusters                       identyfikatory klastrów, po jednym w wierszu
  roles list|grant|revoke        role w klastrach (--cluster SLUG --user LOGIN --role ROLA [--member KLUCZ])
  revoke-tokens LOGIN…|--expired|--all   unieważnienie tokenów API
  refresh-statuses               statusy członków wg zdarzeń datowanych do dziś (dla harmonogramu)
  demo-data --members N --out PLIK   duży syntetyczny klaster (do testów wydajności)
  dues run KLASTER --through RRRR-MM-DD   naliczenie składek i wystawienie dokumentów
  bank import KLASTER PLIK [--format json|text]   import wyciągu bankowego i dopasowanie wpłat
  arrears KLASTER --as-of RRRR-MM-DD [--format json|text]   zaległości, odsetki, prawo głosu
  ksef check --env test|demo|prod   czy środowisko KSeF odpowiada (nic nie wysyła)
  ksef send KLASTER              wysyłka do KSeF faktur oczekujących (KLASTER_KSEF_*)
  kkk evaluate PLIK [--as-of RRRR-MM-DD] [--format json|text]   ocena wniosku KKK
  aid check PLIK --undertaking NIP --date RRRR-MM-DD --amount-pln KWOTA [--regulation R] [--format json|text]   pomoc de minimis (z pliku)
  aid import PLIK --cluster KLASTER   import pliku klaster-aid/1 do rejestru pomocy klastra
  aid headroom KLASTER --undertaking NIP --date RRRR-MM-DD [--regulation R] [--format json|text]   limit de minimis z rejestru
  rates update [--file PLIK] [--through RRRR-MM-DD] [--offline]   kursy EUR tabeli A NBP (API NBP, plik CSV NBP, seria dołączona)
  (przy każdym poleceniu) --checks   najpierw kontrole systemowe Django, jak `klaster check`
"""


def _kkk_process(args: list[str]) -> NoReturn:
    """`klaster kkk …` as the whole process. It makes a few hundred thousand objects and no
    reference cycles, so the cyclic collector stays off; once the output is flushed the
    process ends with os._exit, leaving the memory to the operating system instead of
    freeing every object one by one (a seventh of the run on a 10,000-member file)."""
    from klaster.rules.kkk.cli import run

    gc.disable()
    code, _made = run(args, sys.stdout, sys.stderr)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


# Commands that run the system checks before they start, as Django's own runner does.
CHECKED = frozenset({"serve"})

# Our short commands: they neither serve nor run the system checks (unless given --checks).
# As the whole process they set the admin up without autodiscovery, so that no app's admin.py
# (nor the forms and audit helpers those import) is imported: nothing they do uses the admin's
# registry, which only the URLconf and the admin's system checks read.
SHORT = frozenset(
    {
        "clusters",
        "roles",
        "revoke_tokens",
        "refresh_statuses",
        "import_dataset",
        "export_dataset",
        "demo_data",
        "dues",
        "bank",
        "arrears",
        "ksef",
        "aid",
    }
)
_ADMIN = "django.contrib.admin"
_ADMIN_WITHOUT_AUTODISCOVERY = "django.contrib.admin.apps.SimpleAdminConfig"


def _without_admin_autodiscovery() -> None:
    """Before django.setup(): the admin app as SimpleAdminConfig (same app, same models)."""
    from django.conf import settings

    settings.INSTALLED_APPS = [
        _ADMIN_WITHOUT_AUTODISCOVERY if app == _ADMIN else app for app in settings.INSTALLED_APPS
    ]


def _execute(argv: list[str], *, whole_process: bool) -> None:
    """Django's command runner, with the system checks as the module says. As the whole
    process, the cyclic collector is off while Django starts (imports make hundreds of
    thousands of objects and no garbage) and what the start made is then frozen out of later
    collections, the last ones at exit included: a fifth of a short command's time."""
    from django.core.management import ManagementUtility
    from django.core.management.base import BaseCommand

    class Runner(ManagementUtility):
        def fetch_command(self, subcommand: str) -> BaseCommand:
            if whole_process and not gc.isenabled():  # Django is set up: the command's turn
                gc.freeze()
                gc.enable()
            command = super().fetch_command(subcommand)
            if self.argv[1:2] == [subcommand]:  # the command to run (not `help COMMAND`)
                asked = "--checks" in self.argv[2:]
                if asked:
                    self.argv.remove("--checks")
                implicit = bool(command.requires_system_checks) and subcommand not in CHECKED
                if implicit and not asked and "--skip-checks" not in self.argv:
                    self.argv.insert(2, "--skip-checks")
            return command

    if whole_process:
        gc.disable()
        if argv[1] in SHORT and "--checks" not in argv[2:]:
            _without_admin_autodiscovery()
    try:
        Runner(argv).execute()
    finally:
        if whole_process:
            gc.enable()


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        sys.stdout.write(USAGE)
        return 0
    if args[0] == "kkk":
        if argv is None:
            _kkk_process(args[1:])
        from klaster.rules.kkk.cli import main as kkk_main

        return kkk_main(args[1:], sys.stdout, sys.stderr)
    if args[0] == "aid" and args[1:2] not in (["import"], ["headroom"]):
        # `aid check` (and the help) is pure, without Django, as kkk; `aid import` and
        # `aid headroom` read or write the register: klaster/aid/management/commands/aid.py
        from klaster.rules.aid.cli import main as aid_main

        return aid_main(args[1:], sys.stdout, sys.stderr)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klaster.settings")
    command = ALIASES.get(args[0], args[0])
    try:
        _execute(["klaster", command, *args[1:]], whole_process=argv is None)
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
