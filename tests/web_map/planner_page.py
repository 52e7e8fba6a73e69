"""The planner page in the browser: a signed-in staff member, and the page opened with its
layers loaded (shared by the planner's e2e tests and the CSP test)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.test import Client


def sign_in(page, live_server, role: str = "ward_officer") -> None:
    user = User.objects.create_user(f"planner-{role}", password="x")
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def open_planner(page, live_server, query: str = "") -> None:
    page.goto(live_server.url + "/quy-hoach/" + query)
    page.wait_for_selector("#pl-map[data-ready=true]")
    page.wait_for_selector("body[data-layers-loaded=true]")
