"""JSON Schemas of the GeoReport v2 responses, written from the spec
(https://wiki.open311.org/GeoReport_v2), independently of the server's code.

Dates must be W3C datetimes with the city's offset (+07:00), as this server promises.
"""

from __future__ import annotations

W3C_LOCAL = {"type": "string", "pattern": r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$"}
NULLABLE_W3C = {"anyOf": [W3C_LOCAL, {"type": "null"}]}
TEXT = {"type": "string"}
NULLABLE_TEXT = {"type": ["string", "null"]}


def _object(properties: dict, required: list[str] | None = None) -> dict:
    return {
        "type": "object",
        "properties": properties,
        "required": required if required is not None else list(properties),
        "additionalProperties": False,
    }


DISCOVERY = _object(
    {
        "changeset": W3C_LOCAL,
        "contact": TEXT,
        "key_service": TEXT,
        "endpoints": {
            "type": "array",
            "minItems": 1,
            "items": _object(
                {
                    "specification": {"const": "http://wiki.open311.org/GeoReport_v2"},
                    "url": {"type": "string", "pattern": "^https?://"},
                    "changeset": W3C_LOCAL,
                    "type": {"enum": ["production", "test"]},
                    "formats": {
                        "type": "array",
                        "items": {"enum": ["text/xml", "application/json"]},
                        "minItems": 1,
                    },
                }
            ),
        },
    }
)

SERVICE = _object(
    {
        "service_code": {"type": "string", "minLength": 1},
        "service_name": {"type": "string", "minLength": 1},
        "description": TEXT,
        "metadata": {"type": "boolean"},
        "type": {"enum": ["realtime", "batch", "blackbox"]},
        "keywords": TEXT,
        "group": TEXT,
    }
)
SERVICES = {"type": "array", "items": SERVICE}

ATTRIBUTE = _object(
    {
        "variable": {"type": "boolean"},
        "code": TEXT,
        "datatype": {
            "enum": ["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"]
        },
        "required": {"type": "boolean"},
        "datatype_description": NULLABLE_TEXT,
        "order": {"type": "integer"},
        "description": TEXT,
        "values": {"type": "array", "items": _object({"key": TEXT, "name": TEXT})},
    },
    required=["variable", "code", "datatype", "required", "order", "description"],
)
SERVICE_DEFINITION = _object(
    {"service_code": TEXT, "attributes": {"type": "array", "items": ATTRIBUTE}}
)

# POST requests: one item with the id (or a token; this server always gives the id).
CREATED = {
    "type": "array",
    "minItems": 1,
    "maxItems": 1,
    "items": _object(
        {
            "service_request_id": {"type": "string", "format": "uuid", "minLength": 36},
            "service_notice": NULLABLE_TEXT,
            "account_id": NULLABLE_TEXT,
        }
    ),
}

REQUEST = _object(
    {
        "service_request_id": {"type": "string", "minLength": 36},
        "status": {"enum": ["open", "closed"]},
        "status_notes": NULLABLE_TEXT,
        "service_name": TEXT,
        "service_code": TEXT,
        "description": NULLABLE_TEXT,
        "agency_responsible": NULLABLE_TEXT,
        "service_notice": NULLABLE_TEXT,
        "requested_datetime": W3C_LOCAL,
        "updated_datetime": NULLABLE_W3C,
        "expected_datetime": NULLABLE_W3C,
        "address": NULLABLE_TEXT,
        "address_id": NULLABLE_TEXT,
        "zipcode": NULLABLE_TEXT,
        "lat": {"type": "number", "minimum": -90, "maximum": 90},
        "long": {"type": "number", "minimum": -180, "maximum": 180},
        "media_url": {"anyOf": [{"type": "string", "pattern": "^https?://"}, {"type": "null"}]},
    }
)
REQUESTS = {"type": "array", "items": REQUEST}

ERRORS = {
    "type": "array",
    "minItems": 1,
    "items": _object({"code": {"type": "integer"}, "description": {"type": "string"}}),
}

# Which XML elements hold lists, and the name of their items (the spec's XML examples).
XML_LIST_ITEMS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}
