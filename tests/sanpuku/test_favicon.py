"""/favicon.ico: browsers ask for it whatever the page links; it is the local icon, not a 404."""

from __future__ import annotations

from django.contrib.staticfiles import finders


def test_favicon_ico_leads_to_the_local_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/img/favicon.svg"
    assert finders.find("img/favicon.svg")
