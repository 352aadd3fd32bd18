"""Issue 21: /favicon.ico was a 404 on every page."""

from __future__ import annotations

from django.contrib.staticfiles import finders


def test_favicon_ico_leads_to_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")
    assert finders.find("favicon.svg")


def test_pages_name_the_icon(client, db):
    for path in ("/accounts/login/", "/m/"):
        assert 'rel="icon"' in client.get(path).content.decode(), path
