"""Refresh the translation catalogues and compile them.

    .venv/bin/python scripts/i18n.py [glossary.py ...]

Runs makemessages for pl and en, fills untranslated Polish entries from an optional glossary
modules (each a dict T = {msgid: polish}, or {"context\\x04msgid": polish} for pgettext; later ones win), compiles every catalogue to .mo (with polib, so no
GNU gettext is needed) and lists the Polish entries still untranslated.
"""

from __future__ import annotations

import os
import runpy
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "klaster" / "locale"


def main() -> int:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "klaster.settings"}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "pl",
            "-l",
            "en",
            "--no-obsolete",
        ],
        cwd=ROOT / "klaster",
        env=env,
        check=True,
    )
    glossary: dict[str, str] = {}
    for path in sys.argv[1:]:
        glossary.update(runpy.run_path(path)["T"])
    missing = []
    for lang in ("pl", "en"):
        po = polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))
        for entry in po:
            # a glossary key is the msgid, or "context\x04msgid" for a pgettext entry
            key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
            if lang == "en" and "fuzzy" in entry.flags:  # English is the msgid itself
                entry.flags.remove("fuzzy")
                entry.msgstr = ""
                entry.previous_msgid = entry.previous_msgctxt = None
                entry.previous_msgid_plural = None
            if lang == "pl" and entry.msgid_plural and isinstance(glossary.get(key), (list, tuple)):
                if (
                    "fuzzy" in entry.flags or not entry.translated()
                ):  # value: the list of Polish forms
                    entry.flags = [f for f in entry.flags if f != "fuzzy"]
                    entry.msgstr_plural = dict(enumerate(glossary[key]))
                    entry.previous_msgid = entry.previous_msgid_plural = None
            elif lang == "pl" and not entry.msgstr and key in glossary:
                entry.msgstr = glossary[key]
            if lang == "pl" and "fuzzy" in entry.flags and key in glossary:
                entry.flags.remove("fuzzy")
                entry.msgstr = glossary[key]
                # all of the previous msgid: a leftover "#| msgid_plural" alone is a syntax error
                # for the next msgmerge
                entry.previous_msgid = entry.previous_msgctxt = None
                entry.previous_msgid_plural = None
            if (
                lang == "pl" and not entry.translated()
            ):  # plural entries need msgstr_plural (4 forms)
                missing.append(key)
        po.save()
        po.save_as_mofile(str(LOCALE / lang / "LC_MESSAGES" / "django.mo"))
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    print(f"{len(missing)} Polish entries untranslated")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
