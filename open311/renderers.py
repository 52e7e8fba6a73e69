"""JSON and XML bodies in the shapes of the GeoReport v2 examples.

A response is built once as plain data (lists and dicts) and rendered either way, so the two
formats cannot drift apart: a list becomes repeated child elements named after the list.
"""

from __future__ import annotations

import json
from typing import Any
from xml.etree import ElementTree as ET

from django.http import HttpResponse

from common.xml_text import xml_safe

FORMATS = ("xml", "json")
CONTENT_TYPES = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}

# The element name of one item of each list, as in the spec's XML examples.
ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return xml_safe(str(value))


def _fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _fill(ET.SubElement(element, key), child)
    elif isinstance(value, list | tuple):
        tag = ITEM_TAGS.get(element.tag, "item")
        for child in value:
            _fill(ET.SubElement(element, tag), child)
    else:
        element.text = _text(value)


def to_xml(root: str, data: Any) -> bytes:
    """`data` under a `root` element: <services><service>…</service></services>."""
    element = ET.Element(root)
    _fill(element, data)
    return ET.tostring(element, encoding="utf-8", xml_declaration=True)


def render(fmt: str, root: str, data: Any, status: int = 200) -> HttpResponse:
    """The response in `fmt` ("xml" or "json"); `root` names the XML root element."""
    if fmt == "json":
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    else:
        body = to_xml(root, data)
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def render_errors(fmt: str, status: int, errors: list[tuple[str, str]] | str) -> HttpResponse:
    """The spec's error list: one {code, description} per problem, each once.

    `code` is the HTTP status (as the spec has it), the same in every language, for programs
    to branch on; `description` is for people, in the request's language (Accept-Language,
    Vietnamese by default), led by the parameter's name, which is never translated.
    """
    if isinstance(errors, str):
        errors = [("", errors)]
    unique = dict.fromkeys((field, str(message)) for field, message in errors)
    items = [
        {"code": status, "description": f"{field}: {message}" if field else message}
        for field, message in unique
    ]
    return render(fmt, "errors", items, status=status)
