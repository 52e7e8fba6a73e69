"""A small OpenAPI 3.1 description of the Open311 GeoReport v2 endpoints, for the fuzzer.

Open311 is plain Django (not DRF), so drf-spectacular does not describe it. Response bodies
reuse the JSON Schemas written from the spec for tests/open311 (independent of the server).
"""

from __future__ import annotations

from tests.open311 import schemas

JSON = "application/json"


def _errors() -> dict:
    return {"description": "errors", "content": {JSON: {"schema": schemas.ERRORS}}}


def _ok(schema: dict) -> dict:
    return {"description": "ok", "content": {JSON: {"schema": schema}}}


def _query(name: str, schema: dict | None = None) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema or {"type": "string"}}


def _path(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


JURISDICTION = _query("jurisdiction_id")

OPEN311_OPENAPI: dict = {
    "openapi": "3.1.0",
    "info": {"title": "Hiện Trường Open311 GeoReport v2 (JSON)", "version": "2"},
    "paths": {
        "/open311/v2/discovery.json": {
            "get": {"operationId": "discovery", "responses": {"200": _ok(schemas.DISCOVERY)}}
        },
        "/open311/v2/services.json": {
            "get": {
                "operationId": "services",
                "parameters": [JURISDICTION],
                "responses": {"200": _ok(schemas.SERVICES), "404": _errors()},
            }
        },
        "/open311/v2/services/{service_code}.json": {
            "get": {
                "operationId": "service",
                "parameters": [_path("service_code"), JURISDICTION],
                "responses": {"200": _ok(schemas.SERVICE_DEFINITION), "404": _errors()},
            }
        },
        "/open311/v2/requests.json": {
            "get": {
                "operationId": "requests_list",
                "parameters": [
                    JURISDICTION,
                    _query("service_request_id"),
                    _query("service_code"),
                    _query("status"),
                    _query("start_date"),
                    _query("end_date"),
                ],
                "responses": {
                    "200": _ok(schemas.REQUESTS),
                    "400": _errors(),
                    "404": _errors(),
                },
            },
            "post": {
                "operationId": "requests_create",
                "requestBody": {
                    "content": {
                        "application/x-www-form-urlencoded": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    name: {"type": "string"}
                                    for name in (
                                        "api_key",
                                        "jurisdiction_id",
                                        "service_code",
                                        "lat",
                                        "long",
                                        "address_string",
                                        "description",
                                        "first_name",
                                        "last_name",
                                        "phone",
                                        "email",
                                        "media_url",
                                    )
                                },
                            }
                        }
                    }
                },
                "responses": {
                    "201": _ok(schemas.CREATED),
                    "400": _errors(),
                    "403": _errors(),
                    "404": _errors(),
                },
            },
        },
        "/open311/v2/requests/{service_request_id}.json": {
            "get": {
                "operationId": "request",
                "parameters": [_path("service_request_id"), JURISDICTION],
                "responses": {"200": _ok(schemas.REQUESTS), "404": _errors()},
            }
        },
        "/open311/v2/tokens/{token}.json": {
            "get": {
                "operationId": "token",
                "parameters": [_path("token"), JURISDICTION],
                "responses": {"404": _errors()},
            }
        },
    },
}
