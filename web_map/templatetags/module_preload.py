"""`{% module_preloads "web_map/js/main.js" %}`: <link rel="modulepreload"> for every module
an entry module imports, directly or not.

A browser learns a module's imports only once it has that module, so a graph four imports
deep costs four round trips before the first line runs: 0.6 s of a phone's first screen on a
150 ms link (bench_citizen_map.py). Listing the whole graph in <head> lets the browser fetch
it in one wave beside Leaflet. The graph is read from the modules themselves (static imports
only: a dynamic import() stays lazy on purpose), once per file version, so a module another
part adds is preloaded without editing the page.
"""

from __future__ import annotations

import posixpath
import re
from functools import lru_cache
from pathlib import Path

from django import template
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.utils.html import format_html, format_html_join

register = template.Library()

# `import x from "./a.js"`, `import "./a.js"`, `export { y } from "./a.js"`; not `import(`.
_STATIC_IMPORT_RE = re.compile(
    r"""(?:\bimport\s*(?:[\w*{}\s,$]+?\s*from\s*)?|\bexport\s*[\w*{}\s,$]*?\s*from\s*)"""
    r"""["'](\.{1,2}/[^"']+\.m?js)["']"""
)


@lru_cache(maxsize=256)
def _imports_of(path: str, mtime_ns: int) -> tuple[str, ...]:
    text = Path(path).read_text(encoding="utf-8", errors="replace")
    return tuple(_STATIC_IMPORT_RE.findall(text))


def module_graph(entry: str) -> list[str]:
    """Static names of the modules `entry` imports, transitively, in discovery order."""
    seen: list[str] = []
    queue = [entry]
    while queue:
        name = queue.pop(0)
        found = finders.find(name)
        if not found:
            continue
        for spec in _imports_of(found, Path(found).stat().st_mtime_ns):
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), spec))
            if target != entry and target not in seen:
                seen.append(target)
                queue.append(target)
    return seen


@register.simple_tag
def module_preloads(entry: str) -> str:
    return format_html_join(
        "\n  ",
        '<link rel="modulepreload" href="{}">',
        ((static(name),) for name in module_graph(entry)),
    ) or format_html("")
