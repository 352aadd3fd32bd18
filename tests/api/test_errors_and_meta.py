"""One error shape, CORS, the schema and the self-hosted docs, ping."""

from __future__ import annotations

import pytest
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_malformed_json_is_a_400_in_the_error_shape(api):
    response = api.post("/api/v1/migrants/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert response.json()["message"]


def test_form_bodies_are_415(api):
    response = api.post("/api/v1/migrants/", {"a": "b"}, format="multipart")
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


def test_unknown_method_is_405_in_the_error_shape(api, case_a):
    response = api.delete(f"/api/v1/cases/{case_a.pk}/")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_client_throttle_counts_per_token(settings, api, caseworker):
    from tests.api.conftest import client_for

    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "client": "2/min"}
    assert [api.get("/api/v1/me/").status_code for _ in range(3)] == [200, 200, 429]
    assert api.get("/api/v1/me/").headers["Retry-After"]
    # A second token of the same user has its own budget.
    assert client_for(caseworker).get("/api/v1/me/").status_code == 200


def test_ip_throttle_counts_everyone_from_an_address(settings, api, supervisor_api):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "ip": "3/min"}
    codes = [c.get("/api/v1/me/").status_code for c in (api, supervisor_api, api, supervisor_api)]
    assert codes == [200, 200, 200, 429]


def test_forwarded_for_cannot_dodge_the_address_throttle(settings, api):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "ip": "2/min"}
    codes = [
        api.get("/api/v1/me/", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code for n in range(3)
    ]
    assert codes == [200, 200, 429]


def test_cors_is_closed_by_default(api):
    response = api.get("/api/v1/me/", HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Origin" not in response.headers


def test_cors_opens_for_configured_origins(settings, api):
    settings.CORS_ALLOWED_ORIGINS = ["https://partner.example"]
    response = api.options(
        "/api/v1/me/",
        HTTP_ORIGIN="https://partner.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert response.headers["Access-Control-Allow-Origin"] == "https://partner.example"


def test_schema_validates_and_describes_errors():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert "429" in codes, (method, path)
            assert operation["operationId"]
            if operation.get("security") != [{}] and path != "/api/v1/ping/":
                assert {"401", "403"} <= codes, (method, path)
    assert "ValidationError" in schema["components"]["schemas"]


def test_schema_endpoint_serves_openapi_3(db):
    response = Client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")


def test_docs_are_served_from_this_server(settings, db):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    response = Client().get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "/static/drf_spectacular_sidecar/" in html
    assert "cdn." not in html and "unpkg" not in html


def test_ping_needs_nothing(db):
    response = APIClient().get("/api/v1/ping/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
