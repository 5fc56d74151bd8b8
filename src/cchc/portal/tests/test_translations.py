"""Every interface message has a Vietnamese translation, and the compiled catalog matches it."""

import ast
import gettext
from pathlib import Path

import cchc

LOCALE = Path(cchc.__file__).resolve().parent / "locale" / "vi" / "LC_MESSAGES"


def _unquote(line: str) -> str:
    return ast.literal_eval(line)


def parse_po(path: Path) -> list[dict]:
    """Minimal .po reader: entries with msgctxt, msgid, msgid_plural, msgstr list and flags."""
    entries, entry, key = [], None, None
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            if entry is not None:
                entries.append(entry)
            entry, key = None, None
            continue
        if entry is None:
            entry = {"flags": "", "msgctxt": None, "msgid": "", "msgid_plural": None, "msgstr": {}}
        if line.startswith("#,"):
            entry["flags"] += line
        elif line.startswith("#"):
            continue
        elif line.startswith("msgctxt "):
            key = "msgctxt"
            entry[key] = _unquote(line[len("msgctxt ") :])
        elif line.startswith("msgid_plural "):
            key = "msgid_plural"
            entry[key] = _unquote(line[len("msgid_plural ") :])
        elif line.startswith("msgid "):
            key = "msgid"
            entry[key] = _unquote(line[len("msgid ") :])
        elif line.startswith("msgstr"):
            head, _, rest = line.partition(" ")
            key = ("msgstr", int(head[7:-1]) if "[" in head else 0)
            entry["msgstr"][key[1]] = _unquote(rest)
        elif line.startswith('"'):
            if isinstance(key, tuple):
                entry["msgstr"][key[1]] += _unquote(line)
            else:
                entry[key] += _unquote(line)
    return entries


def test_every_message_is_translated_and_not_fuzzy():
    entries = parse_po(LOCALE / "django.po")
    assert len(entries) > 100
    untranslated = [e["msgid"] for e in entries if e["msgid"] and not all(e["msgstr"].values())]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert untranslated == []
    assert fuzzy == []


def test_compiled_catalog_matches_the_po_file():
    entries = parse_po(LOCALE / "django.po")
    with (LOCALE / "django.mo").open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    stale = [
        e["msgid"]
        for e in entries
        if e["msgid"]
        and e["msgid_plural"] is None
        and (
            catalog.pgettext(e["msgctxt"], e["msgid"])
            if e["msgctxt"] is not None
            else catalog.gettext(e["msgid"])
        )
        != e["msgstr"][0]
    ]
    assert stale == [], "run `make messages` to recompile django.mo"


def test_placeholders_are_kept():
    import re

    placeholder = re.compile(r"%\(\w+\)[sd]|\{\{ *\w+ *\}\}")
    for entry in parse_po(LOCALE / "django.po"):
        if not entry["msgid"]:
            continue
        expected = sorted(placeholder.findall(entry["msgid"]))
        for text in entry["msgstr"].values():
            assert sorted(placeholder.findall(text)) == expected, entry["msgid"]
