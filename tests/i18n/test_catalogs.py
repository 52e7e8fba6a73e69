"""The translation catalogs cover every string the code uses, in every language we ship.

Vietnamese is the source language (msgids); English must translate each one. The check runs
Django's own makemessages over a copy of the code (so the repository's catalogs are never
rewritten by a test) and compares what it finds with the committed catalogs: a string added
to the code without a translation, or a fuzzy or empty entry, fails here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

REPO = Path(__file__).resolve().parents[2]
TRANSLATED = ["en"]
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
