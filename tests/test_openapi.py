"""The OpenAPI document is valid OpenAPI 3.1 and documents every operation fully."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from openapi_spec_validator import validate
from openapi_spec_validator.validation.validators import OpenAPIV31SpecValidator

METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def schema(db) -> dict:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_schema_is_valid_openapi_3_1(schema):
    assert schema["openapi"].startswith("3.1")
    validate(schema, cls=OpenAPIV31SpecValidator)


def test_every_operation_has_summary_tags_and_error_answers(schema):
    error_ref = {"$ref": "#/components/schemas/Error"}
    for path, item in schema["paths"].items():
        for method, op in item.items():
            if method not in METHODS:
                continue
            where = f"{method.upper()} {path}"
            assert op.get("summary"), where
            assert op.get("tags"), where
            expected = {"400", "404", "409", "429"} | ({"401", "403"} if op.get("security") else set())
            assert expected <= set(map(str, op["responses"])), where
            for status in expected:
                assert op["responses"][status]["content"]["application/json"]["schema"] == error_ref, where
    error = schema["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"detail", "code"}
    assert "errors" in error["properties"]


def test_scopes_are_documented(schema):
    inbox = schema["paths"]["/api/v1/staff/inbox"]["get"]
    assert {"BearerToken": ["staff:inbox"]} in inbox["security"]
    assert "staff:inbox" in inbox["description"]


def test_new_endpoints_are_in_the_schema(schema):
    for path in (
        "/api/v1/me",
        "/api/v1/me/export",
        "/api/v1/notifications",
        "/api/v1/notifications/unread-count",
        "/api/v1/notifications/{notification_id}/read",
        "/api/v1/reports/{tracking}/rating",
        "/api/v1/staff/inbox",
    ):
        assert path in schema["paths"], path
