"""The translation catalogs cover every string the code uses, in every language we ship.

Vietnamese is the source language (msgids); English and Simplified Chinese must translate each
one, keeping the msgid's placeholders (a lost or misspelt %(name)s shows the raw text or
raises KeyError when the string is filled in). The coverage check runs
Django's own makemessages over a copy of the code (so the repository's catalogs are never
rewritten by a test) and compares what it finds with the committed catalogs: a string added
to the code without a translation, or a fuzzy or empty entry, fails here.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

REPO = Path(__file__).resolve().parents[2]
TRANSLATED = ["en", "zh_Hans"]
DOMAINS = ["django", "djangojs"]
CODE_DIRS = [
    "common",
    "config",
    "gis_core",
    "ward_boundaries",
    "layers",
    "web_map",
    "etl",
    "open311",
]


def _catalog(language: str, domain: str, root: Path = REPO) -> polib.POFile:
    return polib.pofile(str(root / "locale" / language / "LC_MESSAGES" / f"{domain}.po"))


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Path:
    """A fresh `makemessages -l en` over a copy of the code; returns the copy's root."""
    root = tmp_path_factory.mktemp("i18n")
    ignore = shutil.ignore_patterns("vendor", "__pycache__", "*.png", "*.jpg", "*.pbf", "*.mo")
    for name in CODE_DIRS:
        shutil.copytree(REPO / name, root / name, ignore=ignore)
    shutil.copy(REPO / "manage.py", root / "manage.py")
    (root / "locale").mkdir()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev", "PYTHONPATH": str(root)}
    for domain in DOMAINS:
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "makemessages",
                "-l",
                "en",
                "-d",
                domain,
                "--no-location",
            ],
            cwd=root,
            env=env,
            check=True,
            capture_output=True,
        )
    return root


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("language", TRANSLATED)
def test_every_entry_is_translated_and_none_is_fuzzy(language, domain):
    catalog = _catalog(language, domain)
    assert len(catalog) > 10, "the catalog is missing or nearly empty"
    assert [e.msgid for e in catalog.fuzzy_entries()] == []
    assert [e.msgid for e in catalog.untranslated_entries() if not e.obsolete] == []


# Scanned left to right, so "%%(s)s" is a literal "%" then text, not the placeholder %(s)s.
_PLACEHOLDER = re.compile(r"%%|%\(\w+\)[sdif]|%[sdif]|\{\w+\}|</?[a-z][a-z0-9]*\b[^>]*>")


def placeholders(text: str) -> list[str]:
    """What a translation must carry over: %(name)s, %s, {name} (JS) and HTML tags. "%%" is
    a literal percent sign, which a translation may drop ("90th percentile")."""
    return sorted(t for t in _PLACEHOLDER.findall(text) if t != "%%")


def test_placeholder_scan_tells_an_escaped_percent_from_a_placeholder():
    assert placeholders("Có thể gửi lại sau %%(s)s giây.") == []
    assert placeholders("%(n)s 秒") == ["%(n)s"] != placeholders("%(m)s 秒")
    assert placeholders("<strong>%(phone)s</strong> {n}") == [
        "%(phone)s", "</strong>", "<strong>", "{n}"
    ]  # fmt: skip


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_the_placeholders_of_the_msgid(language, domain):
    lost = []
    for entry in _catalog(language, domain):
        if entry.obsolete:
            continue
        wanted = placeholders(entry.msgid)
        forms = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        if entry.msgid_plural:
            assert placeholders(entry.msgid_plural) == wanted, entry.msgid
        lost += [(entry.msgid, form) for form in forms if placeholders(form) != wanted]
    assert lost == []


@pytest.mark.parametrize("domain", DOMAINS)
def test_catalogs_hold_every_string_the_code_uses(extracted, domain):
    used = {e.msgid for e in _catalog("en", domain, extracted)}
    assert used, "makemessages found no string: the check itself is broken"
    for language in TRANSLATED:
        have = {e.msgid for e in _catalog(language, domain) if e.translated() and not e.obsolete}
        assert sorted(used - have) == [], f"{language}/{domain}.po lacks these (run makemessages)"


def test_english_catalog_is_compiled_and_used():
    """The setup script compiles the catalogs; the running code reads them."""
    from django.utils import translation

    from common.validation import parse_coordinate

    errors: dict[str, list[str]] = {}
    with translation.override("en"):
        parse_coordinate("", "lon", errors)
    assert errors == {"lon": ["This field is required."]}
    errors.clear()
    with translation.override("vi"):
        parse_coordinate("", "lon", errors)
    assert errors == {"lon": ["Trường này là bắt buộc."]}


def test_chinese_catalog_is_compiled_and_used_with_its_one_plural_form():
    """zh_Hans has one plural form (Plural-Forms: nplurals=1; plural=0): every count reads
    msgstr[0]; a catalog compiled with the English rule would look up a missing msgstr[1]."""
    from django.utils import translation

    from common.validation import parse_coordinate

    errors: dict[str, list[str]] = {}
    with translation.override("zh-hans"):
        parse_coordinate("", "lon", errors)
        days = [translation.ngettext("%(n)d ngày", "%(n)d ngày", n) % {"n": n} for n in (1, 5)]
    assert errors == {"lon": ["此项为必填项。"]}
    assert days == ["1 天", "5 天"]
    for domain in DOMAINS:
        assert _catalog("zh_Hans", domain).metadata["Plural-Forms"] == "nplurals=1; plural=0;"
