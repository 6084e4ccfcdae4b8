"""The OpenAPI description is true: schemathesis (its CLI, seeded and bounded) generates requests for
every operation the running server documents (routes added later included) and checks every answer
against the description: statuses, content types, response schemas and headers, server errors, and
that schema-valid input is accepted and invalid input refused. Zero failures allowed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.api.conftest import Server, embedded_only

ST = Path(sys.executable).parent / "st"
CONFIG = Path(__file__).parent / "schemathesis.toml"
EXAMPLES = 12  # per operation and phase (about 600 requests in all)
SEED = 20261202


@embedded_only  # the same routes and error mapping over the remote store: tests/api/store/test_remote.py compares
def test_the_server_answers_as_its_openapi_description_says(server: Server, tmp_path: Path) -> None:
    command = [
        str(ST), "--config-file", str(CONFIG), "run", f"{server.url}/openapi.json",
        "--checks", "all", "--max-examples", str(EXAMPLES), "--seed", str(SEED),
        "--workers", "2", "--generation-database", "none", "--request-timeout", "30", "--no-color",
    ]
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)
    report = done.stdout + done.stderr
    assert done.returncode == 0, report[-6000:]
    assert " passed" in report and "Tested: " in report, report[-2000:]
