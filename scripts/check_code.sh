#!/usr/bin/env bash
# The checks that keep the code readable, run by scripts/test.sh before the tests:
# lint (ruff), types (mypy, configured in pyproject.toml), no function above cyclomatic complexity 20
# (xenon over radon: rank C is 11-20), no module above 400 lines.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/ruff check .
.venv/bin/mypy
.venv/bin/xenon --max-absolute C kg api bri_kg bench
too_long=$(find kg api bri_kg bench -name '*.py' -not -path '*/generated/*' -print0 | xargs -0 wc -l \
           | awk '$2 != "total" && $1 > 400 {print "  " $2 " (" $1 " lines)"}')
if [ -n "$too_long" ]; then
  echo "Modules above 400 lines (split them by job):"; echo "$too_long"; exit 1
fi
echo "code checks passed: ruff, mypy, complexity <= 20, modules <= 400 lines"
