"""The system's headless Chromium, driven by Playwright for Python, for the browser tests.

Debian's ``chromium`` (installed by scripts/setup.sh) is passed as ``executable_path``: Playwright
downloads nothing. Background networking is off, so the only requests are the pages' own.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
# A developer without Chromium may skip the browser tests; CI never does: scripts/setup.sh installs it,
# so a missing browser there is a setup bug and the tests fail on it.
needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("CI"),
                                    reason="Debian's chromium is not installed (scripts/setup.sh installs it)")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()
