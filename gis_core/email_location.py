"""The point a citizen wrote into an e-mail: a map link or a pair of coordinates.

What people paste: a Google Maps link (`…/@21.53,107.97,17z`, `?q=21.53,107.97`,
`!3d21.53!4d107.97`), an OpenStreetMap one (`#map=17/21.53/107.97`, `?mlat=…&mlon=…`), a
`geo:21.53,107.97` URI, or the coordinates themselves as Google shows them ("21.53, 107.97",
latitude first). Short links (maps.app.goo.gl) are not followed: resolving them would mean
fetching an address a stranger chose. Only the text is read; whether the point is valid and
near the city is report_submit's rule.
"""

from __future__ import annotations

import re

_NUMBER = r"-?\d{1,3}\.\d+"
# Most specific first: a link's marked place before its view centre, before bare numbers.
_LAT_LON_PATTERNS = [
    re.compile(rf"!3d({_NUMBER})!4d({_NUMBER})"),  # Google's place marker inside /data=
    re.compile(rf"[?&#]mlat=({_NUMBER})&(?:amp;)?mlon=({_NUMBER})"),  # OSM marker
    re.compile(rf"[?&](?:q|query|ll|destination)=(?:loc:)?({_NUMBER})(?:,|%2C)\s*({_NUMBER})"),
    re.compile(rf"#map=\d{{1,2}}/({_NUMBER})/({_NUMBER})"),  # OSM view
    re.compile(rf"/@({_NUMBER}),({_NUMBER})"),  # Google view centre
    re.compile(rf"\bgeo:({_NUMBER}),({_NUMBER})"),
]
# Bare "21.53, 107.97" (or "107.97, 21.53"): two decimals with at least two digits each, so
# a price or a house number is not taken for a place.
_PAIR = re.compile(r"(?<![\d.])(-?\d{1,3}\.\d{2,})\s*[,;]\s*(-?\d{1,3}\.\d{2,})(?![\d.])")


def _as_lon_lat(first: str, second: str) -> tuple[float, float]:
    """(lon, lat) from two numbers in either order: a number past ±90 can only be a
    longitude; otherwise latitude first, the order map apps show."""
    a, b = float(first), float(second)
    if abs(a) > 90 >= abs(b):
        return a, b
    return b, a


def point_in_text(text: str) -> tuple[float, float] | None:
    """The first place named in `text` as (lon, lat), or None."""
    for pattern in _LAT_LON_PATTERNS:
        found = pattern.search(text)
        if found:
            return float(found.group(2)), float(found.group(1))
    found = _PAIR.search(text)
    if found:
        return _as_lon_lat(found.group(1), found.group(2))
    return None
