"""A phone in headless Chromium: 390×844, touch, mobile user agent, every outside host blocked.

`phone_page` is the citizen's device for the e2e tests of the citizen app; `phone_context`
gives the context too (offline tests switch it off and on). `axe_serious(page)` runs axe-core
(from npm, node_modules/axe-core) in the page and returns its serious and critical violations.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from playwright.sync_api import sync_playwright

from tests.web_map.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    TIMEOUT_MS,
    new_problems,
    outside_blocker,
    screen_point,
    watch,
)

REPO = Path(__file__).resolve().parents[2]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
    "user_agent": (
        "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/156.0.0.0 Mobile Safari/537.36"
    ),
}


class PhoneSession:
    """The browser, its context and one page, with the problems the page ran into."""

    def __init__(self, browser, context, page, problems):
        self.browser, self.context, self.page, self.problems = browser, context, page, problems


def _open(pw, origin: str, *, locale: str = "vi-VN", **extra) -> PhoneSession:
    browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    context = browser.new_context(**PHONE, locale=locale, **extra)
    context.set_default_timeout(TIMEOUT_MS)
    problems = new_problems()
    context.route("**/*", outside_blocker(origin, problems))
    page = context.new_page()
    watch(page, origin, problems)
    return PhoneSession(browser, context, page, problems)


@pytest.fixture
def phone_session(live_server, monkeypatch):
    """A phone (see PHONE) on the live server; `.context` can be set offline."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    monkeypatch.setitem(connections.settings[DEFAULT_DB_ALIAS], "CONN_MAX_AGE", 0)
    with sync_playwright() as pw:
        session = _open(pw, live_server.url)
        try:
            yield session
        finally:
            session.browser.close()
            connections.close_all()


@pytest.fixture
def phone_page(phone_session):
    return phone_session.page


def tap_latlng(page, lat: float, lon: float) -> None:
    """A finger tap on the map where (lat, lon) is drawn now."""
    point = screen_point(page, lat, lon)
    page.touchscreen.tap(point["x"], point["y"])


def axe_serious(page, *, exclude: tuple[str, ...] = ()) -> list[dict]:
    """Serious and critical axe-core violations of the page as it is now (rule, nodes)."""
    if not page.evaluate("() => Boolean(window.axe)"):
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async (exclude) => {
            const context = exclude.length ? {exclude: exclude.map((s) => [s])} : document;
            const r = await window.axe.run(context, {resultTypes: ["violations"]});
            return r.violations
              .filter((v) => v.impact === "serious" || v.impact === "critical")
              .map((v) => ({id: v.id, impact: v.impact, help: v.help,
                            nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" "))}));
        }""",
        list(exclude),
    )
    return result
