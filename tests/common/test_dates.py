"""One date parser (common.dates): the same mistake reads the same wherever it is made."""

from __future__ import annotations

import argparse
import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from common.dates import command_day, date_option, date_param, period_params


def test_date_param_reads_a_day_a_default_or_one_error():
    errors: dict[str, list[str]] = {}
    assert date_param({"since": " 2025-07-01 "}, "since", errors) == dt.date(2025, 7, 1)
    assert date_param({}, "since", errors, default=dt.date(2024, 1, 1)) == dt.date(2024, 1, 1)
    assert date_param({"since": ""}, "since", errors) is None
    assert errors == {}
    assert date_param({"since": "hôm qua"}, "since", errors) is None
    assert errors == {"since": ["Đây không phải là ngày (YYYY-MM-DD)."]}


def test_a_day_outside_the_calendar_we_can_do_arithmetic_on_is_refused():
    errors: dict[str, list[str]] = {}
    assert date_param({"until": "0001-01-01"}, "until", errors) is None
    assert list(errors) == ["until"] and "1900-01-01" in errors["until"][0]


def test_a_long_bad_value_is_quoted_back_short():
    errors: dict[str, list[str]] = {}
    date_param({"since": "x" * 5000}, "since", errors)
    assert len(errors["since"][0]) < 80


def test_period_params_refuse_since_after_until():
    errors: dict[str, list[str]] = {}
    since, until = period_params({"since": "2025-02-01", "until": "2025-01-01"}, errors)
    assert (since, until) == (dt.date(2025, 2, 1), dt.date(2025, 1, 1))
    assert list(errors) == ["since"]
    errors = {}
    assert period_params({}, errors, until_default=dt.date(2025, 1, 1)) == (
        None,
        dt.date(2025, 1, 1),
    )
    assert errors == {}


def test_command_options_share_the_parser():
    assert date_option("2025-07-01") == dt.date(2025, 7, 1)
    with pytest.raises(argparse.ArgumentTypeError, match="is not a date"):
        date_option("2025-02-30")
    assert command_day(None, "--since") is None
    assert command_day(dt.date(2025, 1, 2), "--since") == dt.date(2025, 1, 2)
    with pytest.raises(CommandError, match=r"^--until: '31/12/2025' is not a date"):
        command_day("31/12/2025", "--until")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("command", "args"),
    [("export_data", ["reports", "--out", "unused.geojson"]), ("reassign_wards", [])],
)
def test_commands_name_the_bad_option(command, args):
    with pytest.raises(CommandError, match="--since: 'hôm qua' is not a date"):
        call_command(command, *args, since="hôm qua")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/api/v1/reports/", "since"),
        ("/api/v1/reports/heat/", "until"),
        ("/api/v1/wards/lookup/?lon=107.97&lat=21.53", "date"),
        ("/api/v1/wards/", "date"),
        ("/api/v1/league/", "since"),
        ("/api/v1/wards/stats/", "until"),
        ("/api/v1/hotspots/", "since"),
    ],
)
def test_every_endpoint_says_the_same_about_a_bad_date(client, url, name):
    separator = "&" if "?" in url else "?"
    response = client.get(f"{url}{separator}{name}=31-12-2025", HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 400, response.content
    assert response.json()["errors"][name] == ["Đây không phải là ngày (YYYY-MM-DD)."]


@pytest.mark.django_db
@pytest.mark.parametrize("zoom", ["\u00b2", "\u0661\u0662", "1_2", "12.0", "-1", "21"])
def test_a_zoom_that_is_not_plain_ascii_digits_in_range_is_a_400(client, zoom):
    response = client.get("/api/v1/reports/heat/", {"zoom": zoom})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["zoom"]
