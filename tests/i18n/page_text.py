"""What a page in one language must not show: the strings of the other two languages.

The three catalogs are read with polib (Vietnamese is the source: the msgids; English and
Chinese are the msgstrs of locale/en and locale/zh_Hans). A string of another language that is
not also a string of the page's language is foreign; it is cut into its fixed fragments
(around %(x)s, %s, {x} placeholders and HTML tags), and the fragments long enough to mean
something (two words, or two Chinese characters) are looked for in the page's visible text.
Data (ward, place and agency names, the citizens' own words) is taken out of the text first,
from an explicit list built from the rows the page shows: the check itself stays strict.

Also the plain checks: Vietnamese-only letters on an English or Chinese page, Chinese
characters on a Vietnamese or English page, and in the browser the visible text and a glyph
probe (a missing glyph is drawn as the same box for every character, and narrower than 1em).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import polib

REPO = Path(__file__).resolve().parents[2]
LANGUAGES = ("vi", "en", "zh-hans")
LOCALE_DIRS = {"vi": "vi", "en": "en", "zh-hans": "zh_Hans"}
DOMAINS = ("django", "djangojs")

# Letters only Vietnamese uses among the three languages (as in test_public_pages_english).
VIETNAMESE = re.compile(
    "[ăâđêôơưạảãáàấầẩẫậắằẳẵặẹẻẽéèếềểễệịỉĩíìọỏõóòốồổỗộớờởỡợụủũúùứừửữựỵỷỹýỳ]", re.IGNORECASE
)
# Han ideographs, CJK punctuation and full-width forms.
CJK = re.compile("[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# What a translator cannot change inside a string: placeholders, tags, entities, line breaks.
FIXED_PARTS = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}|<[^>]*>|&\w+;|&#\d+;|\n")
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# Punctuation around a fragment: blanks, stops, brackets, dashes, straight and curly quotes.
EDGES = " \t·:;,.!?…()[]\u2014\u2013-\"'\u201c\u201d\u2018\u2019/|*"
# Names on every page that are the same in every language: the brand, the city, and the
# language switch (each language named in itself).
ALWAYS_ALLOWED = ("Hiện Trường", "Móng Cái", "Tiếng Việt", "English", "中文")
SEPARATOR = " ¦ "


def normalize(text: str) -> str:
    """NFC, non-breaking spaces as spaces, runs of blanks as one space (per line)."""
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ").replace("\u202f", " ")
    return "\n".join(" ".join(line.split()) for line in text.splitlines())


def _catalog(language: str, domain: str) -> polib.POFile | None:
    path = REPO / "locale" / LOCALE_DIRS[language] / "LC_MESSAGES" / f"{domain}.po"
    return polib.pofile(str(path)) if path.exists() else None


def _entries() -> Iterable[polib.POEntry]:
    """Every live entry of the English catalogs (their msgids are the Vietnamese sources)."""
    for domain in DOMAINS:
        for source in ("en", "vi"):
            catalog = _catalog(source, domain)
            if catalog is not None:
                yield from (e for e in catalog if not e.obsolete)


@functools.cache
def catalog_strings(language: str) -> frozenset[str]:
    """The strings of a language: Vietnamese msgids, or the msgstrs of its catalogs."""
    found: set[str] = set()
    if language == "vi":
        for entry in _entries():
            found.add(entry.msgid)
            if entry.msgid_plural:
                found.add(entry.msgid_plural)
    else:
        for domain in DOMAINS:
            catalog = _catalog(language, domain)
            for entry in catalog or ():
                if entry.obsolete or "fuzzy" in entry.flags:
                    continue
                found.add(entry.msgstr)
                found.update(entry.msgstr_plural.values())
    return frozenset(normalize(s) for s in found if s.strip())


def fragments(text: str) -> list[str]:
    """The fixed pieces of a catalog string, stripped of edge punctuation."""
    pieces = (p.strip(EDGES) for p in FIXED_PARTS.split(normalize(text)))
    return [p for p in pieces if p]


def meaningful(fragment: str) -> bool:
    """Two words at least (two Han characters for Chinese): one word alone ("OCOP", "Email")
    is shared by too many languages to prove anything."""
    return len(HAN.findall(fragment)) >= 2 or len(WORD.findall(fragment)) >= 2


@functools.cache
def foreign_fragments(language: str) -> dict[str, str]:
    """For a page in `language`: fragment -> the other language it comes from. A string or a
    fragment that is also in the page language's own strings is not foreign."""
    own = catalog_strings(language)
    own_text = "\n".join(own).casefold()
    foreign: dict[str, str] = {}
    for other in LANGUAGES:
        if other == language:
            continue
        for string in catalog_strings(other) - own:
            for fragment in fragments(string):
                if meaningful(fragment) and fragment.casefold() not in own_text:
                    foreign.setdefault(fragment, other)
    return foreign


@functools.cache
def _pattern(fragment: str) -> re.Pattern[str]:
    body = re.escape(fragment).replace(r"\ ", r"\s+")
    if HAN.search(fragment[:1]) is None:
        body = r"(?<![^\W_])" + body
    if HAN.search(fragment[-1:]) is None:
        body = body + r"(?![^\W_])"
    return re.compile(body, re.IGNORECASE)  # text-transform may have changed the case


def without_data(texts: Iterable[str], allowed: Iterable[str]) -> list[str]:
    """The texts with each allowed data name cut out (longest first), left as a separator so
    no fragment can be matched across the gap."""
    names = sorted({normalize(a) for a in (*allowed, *ALWAYS_ALLOWED) if a and a.strip()},
                   key=len, reverse=True)  # fmt: skip
    out = []
    for text in texts:
        text = normalize(text)
        for name in names:
            text = text.replace(name, SEPARATOR)
        out.append(text)
    return out


def leaks(language: str, texts: Iterable[str], allowed: Iterable[str]) -> dict[str, list[str]]:
    """The foreign fragments found in the page's texts, by the language they come from."""
    page = "\n".join(without_data(texts, allowed))
    spans: list[tuple[int, int, str, str]] = []
    for fragment, other in foreign_fragments(language).items():
        spans += [(m.start(), m.end(), fragment, other) for m in _pattern(fragment).finditer(page)]
    # A fragment found only inside a longer fragment found there is the same leak: the longer
    # one is reported; a fragment found elsewhere too is reported as well.
    spans.sort(key=lambda s: s[0] - s[1])
    kept: list[tuple[int, int]] = []
    found: dict[str, set[str]] = {}
    for start, end, fragment, other in spans:
        if any(a <= start and end <= b for a, b in kept):
            continue
        kept.append((start, end))
        found.setdefault(other, set()).add(fragment)
    return {other: sorted(items) for other, items in found.items()}


def lines_matching(pattern: re.Pattern[str], texts: Iterable[str], allowed: Iterable[str]):
    """The lines of text (data names cut out) where `pattern` occurs."""
    hits = []
    for text in without_data(texts, allowed):
        for line in text.splitlines():
            if pattern.search(line):
                hits.append(line.strip())
    return sorted(set(hits))


# --- In the browser -------------------------------------------------------------------------

VISIBLE_TEXT_JS = """() => {
    const shown = (el) => {
        if (!el.getClientRects().length) return false;
        const style = getComputedStyle(el);
        return style.visibility !== 'hidden' && style.display !== 'none';
    };
    const texts = [document.title, document.body.innerText];
    for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], [alt]')) {
        if (!shown(el)) continue;
        for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
            const value = el.getAttribute(name);
            if (value && value.trim()) texts.push(value.trim());
        }
    }
    return texts;
}"""


def visible_texts(page) -> list[str]:
    """What the reader sees or hears now: the body's rendered text (innerText, so hidden
    elements are left out), the title and the labels of the visible elements."""
    return page.evaluate(VISIBLE_TEXT_JS)


GLYPHS_JS = """(sample) => {
    // The sample in the page's own text style: a span in <main> (else <body>) inherits it.
    const host = document.querySelector('main') || document.body;
    const span = document.createElement('span');
    span.id = 'ht-glyph-probe';
    span.textContent = sample;
    span.style.cssText = 'position:fixed;left:0;top:0;z-index:99999;white-space:nowrap;' +
        'font-weight:normal;letter-spacing:normal;';
    host.appendChild(span);
    const style = getComputedStyle(span);
    const em = parseFloat(style.fontSize);
    const widths = [];
    const range = document.createRange();
    const chars = Array.from(sample);
    let offset = 0;
    for (const ch of chars) {
        range.setStart(span.firstChild, offset);
        range.setEnd(span.firstChild, offset + ch.length);
        widths.push(range.getBoundingClientRect().width / em);
        offset += ch.length;
    }
    // Each character drawn alone with the span's font, as pixels (alpha channel).
    const size = 48;
    // An empty computed family is the browser's default face (serif), as the span shows it.
    const family = style.fontFamily || 'serif';
    let font = '';
    const draw = (ch) => {
        const canvas = document.createElement('canvas');
        canvas.width = canvas.height = size * 1.5;
        const ctx = canvas.getContext('2d');
        ctx.font = `${size}px ${family}`;
        font = ctx.font;  // what the canvas took (an invalid value would leave 10px)
        ctx.textBaseline = 'top';
        ctx.fillText(ch, 4, 4);
        const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
        let bits = '';
        let inked = 0;
        for (let i = 3; i < data.length; i += 4) {
            bits += data[i] > 127 ? '1' : '0';
            if (data[i] > 127) inked += 1;
        }
        return {bits, inked};
    };
    const drawn = chars.map(draw);
    span.remove();
    return {
        fontFamily: family,
        canvasFont: font,
        widths,
        inked: drawn.map((d) => d.inked),
        distinct: new Set(drawn.map((d) => d.bits)).size,
    };
}"""


def glyph_problems(page, sample: str) -> list[str]:
    """What is wrong with drawing `sample` (distinct characters) in the page's font: a
    character not about 1em wide, not inked, or several drawn with the same pixels (the
    missing-glyph box looks the same for every character it replaces)."""
    probe = page.evaluate(GLYPHS_JS, sample)
    problems = []
    if not probe["canvasFont"].startswith("48px"):
        problems.append(f"the canvas did not take the page's font ({probe['canvasFont']})")
    for ch, width, inked in zip(sample, probe["widths"], probe["inked"], strict=True):
        if not 0.9 <= width <= 1.1:
            problems.append(f"{ch!r} is {width:.2f}em wide, not 1em")
        if inked == 0:
            problems.append(f"{ch!r} draws nothing")
    if probe["distinct"] < len(set(sample)):
        problems.append(
            f"{len(set(sample))} characters drawn as {probe['distinct']} different images"
        )
    return [f"{p} (font-family {probe['fontFamily']})" for p in problems]
