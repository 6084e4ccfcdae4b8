#!/usr/bin/env bash
# One command on a fresh machine: set up, check the code (lint, types, complexity, sizes), run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/check_code.sh
exec .venv/bin/python -m pytest -q "$@"
