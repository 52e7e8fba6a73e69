"""What every browser test shares: Debian's Chromium and its flags, and a page whose problems
are collected (JS errors, console errors, dialogs, failed same-origin requests, and every
request to another host, which is refused: nothing may come from a CDN)."""

from __future__ import annotations

from urllib.parse import urlsplit

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 15_000


def new_problems() -> dict[str, list]:
    return {"pageerror": [], "console": [], "dialog": [], "http": [], "external": []}


def outside_blocker(origin: str, problems: dict[str, list]):
    """A route handler: the app's own requests go through, any other host is refused."""

    def route(route):
        if route.request.url.startswith(origin):
            route.continue_()
        else:
            problems["external"].append(route.request.url)
            route.abort("internetdisconnected")

    return route


def watch(page, origin: str, problems: dict[str, list]) -> None:
    """Collects the page's problems into `problems` (and sets `page.problems`)."""

    def on_console(msg):
        # Aborted tiles and deliberate 4xx are logged as "Failed to load resource"; they are
        # checked through the request lists instead.
        if msg.type == "error" and "Failed to load resource" not in msg.text:
            problems["console"].append(msg.text)

    def on_response(response):
        path = urlsplit(response.url).path
        if response.url.startswith(origin) and response.status >= 400 and path != "/favicon.ico":
            problems["http"].append((response.request.method, path, response.status))

    def on_dialog(dialog):
        problems["dialog"].append(dialog.message)
        dialog.dismiss()

    page.on("pageerror", lambda error: problems["pageerror"].append(str(error)))
    page.on("console", on_console)
    page.on("response", on_response)
    page.on("dialog", on_dialog)
    page.problems = problems


def screen_point(page, lat: float, lon: float) -> dict[str, float]:
    """Where (lat, lon) is drawn on the page's map now, in page coordinates."""
    return page.evaluate(
        """([lat, lon]) => {
            const map = window.hienTruong.map;
            const p = map.latLngToContainerPoint([lat, lon]);
            const box = map.getContainer().getBoundingClientRect();
            return {x: box.left + p.x, y: box.top + p.y};
        }""",
        [lat, lon],
    )
