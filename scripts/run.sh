#!/usr/bin/env bash
# One command on a fresh machine: set up, build the knowledge graph, and serve it on http://127.0.0.1:8000/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/bri-kg build
exec .venv/bin/bri-kg serve "$@"
