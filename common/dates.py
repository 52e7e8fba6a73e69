"""Dates in query strings and command options: one parser, so one mistake reads the same
wherever it is made (the API, a page's form, a management command)."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Mapping

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Day arithmetic on filter dates (until + 1 day, the period before since) must stay inside
# Python's calendar, so year 1 and year 9999 are refused rather than overflowing.
EARLIEST_DATE, LATEST_DATE = dt.date(1900, 1, 1), dt.date(2999, 12, 31)
DATE_RANGE_MESSAGE = gettext_lazy("Ngày phải nằm trong khoảng 1900-01-01 đến 2999-12-31.")

Errors = dict[str, list[str]]


def not_a_date_message() -> str:
    """Names the expected form; never quotes the client's value back."""
    return _("Đây không phải là ngày (YYYY-MM-DD).")


def date_in_range(value: dt.date, name: str, errors: Errors) -> bool:
    """True if `value` is a usable filter date; else a message in errors[name]."""
    if EARLIEST_DATE <= value <= LATEST_DATE:
        return True
    errors[name] = [str(DATE_RANGE_MESSAGE)]
    return False


def date_param(
    params: Mapping[str, str], name: str, errors: Errors, *, default: dt.date | None = None
) -> dt.date | None:
    """params[name] as a date within range, or `default` when it is absent or blank.

    A bad value puts one message under errors[name] and returns None.
    """
    raw = (params.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = dt.date.fromisoformat(raw)
    except ValueError:
        errors[name] = [not_a_date_message()]
        return None
    return value if date_in_range(value, name, errors) else None


def period_params(
    params: Mapping[str, str],
    errors: Errors,
    *,
    since_default: dt.date | None = None,
    until_default: dt.date | None = None,
) -> tuple[dt.date | None, dt.date | None]:
    """?since= and ?until= (each optional), refused when since comes after until."""
    since = date_param(params, "since", errors, default=since_default)
    until = date_param(params, "until", errors, default=until_default)
    if since and until and since > until and "since" not in errors:
        errors["since"] = [_("since phải không muộn hơn until.")]
    return since, until


def date_option(value: str) -> dt.date:
    """An argparse `type=` for --since/--until options of management commands."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from exc


def command_day(value: str | dt.date | None, option: str) -> dt.date | None:
    """A command option's day, for call_command(since="...") too (it skips argparse types);
    a bad value is a CommandError naming the option."""
    if isinstance(value, dt.date):
        return value
    if not value:
        return None
    try:
        return date_option(value)
    except argparse.ArgumentTypeError as exc:
        raise CommandError(f"{option}: {exc}.") from exc
