#!/usr/bin/env bash
# Regenerate docs/screenshots/*.png (shown in the README): the browser tests of the views, run against the
# real corpus in the system's headless Chromium, save a screenshot of each view there.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
rm -f docs/screenshots/*.png
BRI_KG_SCREENSHOTS="$PWD/docs/screenshots" .venv/bin/python -m pytest -q tests/api/web/test_views_browser.py -k renders "$@"
ls docs/screenshots
