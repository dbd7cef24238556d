"""Keep the message catalogue in step with the code.

    python scripts/update_catalogue.py          # extract, merge into the .po, compile the .mo

Translators edit `assetreg/locale/zh/LC_MESSAGES/assetreg.po` with any gettext tool (Poedit,
Lokalize, Weblate); this script adds new messages to it, marks vanished ones obsolete, and compiles
the `.mo` that assetreg loads. `tests/test_i18n.py` fails when the two drift apart.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "assetreg/locale/zh/LC_MESSAGES/assetreg.po"
KEYWORDS = {"_": None, "N_": None}


def extract() -> Catalog:
    # A fixed creation date and no source locations: the .po changes only where a message does, so
    # branches that add messages in parallel merge without conflicts in every line-number comment.
    template = Catalog(project="assetreg", charset="utf-8", creation_date=datetime(2026, 1, 1, tzinfo=UTC))
    for filename, lineno, message, comments, context in extract_from_dir(
        ROOT / "assetreg", method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        template.add(message, locations=[(filename, lineno)], auto_comments=comments, context=context)
    # --help: every command's and option's help text as the code gives it (docstrings, help=).
    import typer

    from assetreg.cli.language import help_texts
    from assetreg.cli.main import full_app

    for text in help_texts(typer.main.get_command(full_app())):
        if text not in template:
            template.add(text, locations=[("--help", 0)])
    return template


def main() -> int:
    template = extract()
    catalog = read_po(PO.open("rb"), locale="zh_CN") if PO.exists() else Catalog(locale="zh_CN", project="assetreg")
    catalog.update(template, no_fuzzy_matching=True)
    with PO.open("wb") as handle:
        write_po(handle, catalog, width=120, sort_output=True, no_location=True, ignore_obsolete=True, include_previous=False)
    with PO.with_suffix(".mo").open("wb") as handle:
        write_mo(handle, catalog)
    missing = [m.id for m in catalog if m.id and not m.string]
    for message in missing:
        print(f"untranslated: {message!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
