"""Pages in a real browser over both stores (the test corpus): the entity page renders, YASGUI runs a
query against our endpoint. The analyst's views over the real corpus: test_views_browser.py."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.api.conftest import Server
from tests.api.web.conftest import needs_chromium

pytestmark = needs_chromium


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    yield context.new_page()
    context.close()


def test_entity_page_renders(server: Server, page: Any) -> None:
    page.goto(f"{server.url}/id/conference/mini-conference-2026")
    assert page.locator("h1#label").text_content() == "Second Mini Science Conference"
    text = page.locator("main").text_content()
    assert "Mini Food Security Alliance" in text and "May 20, 2026" in text
    assert len(page.screenshot()) > 10_000


def test_yasgui_runs_a_query_against_our_endpoint(server: Server, page: Any) -> None:
    """The vendored YASGUI loads from our server and shows the results of its example query."""
    page.goto(f"{server.url}/yasgui?autorun=1")
    page.wait_for_selector(".yasr table tbody tr", timeout=20_000)
    assert page.locator(".yasgui .CodeMirror").count() >= 1  # the editor (Yasqe) was built by the vendored script
    assert "Second Mini Science Conference" in page.locator(".yasr").text_content()  # a row from our endpoint
    assert "2 results" in page.locator(".yasr").text_content()
