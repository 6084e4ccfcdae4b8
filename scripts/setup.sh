#!/usr/bin/env bash
# Set up a fresh machine for bri-kg: system packages it needs, a virtualenv, the project installed.
# Idempotent: a second run only checks. Used by `scripts/run.sh` and `scripts/test.sh`.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v java >/dev/null 2>&1 || need_apt+=(default-jre-headless)   # HermiT (OWL reasoner) runs on Java
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)            # headless browser tests of the web pages
ldconfig -p 2>/dev/null | grep -q 'libseccomp\.so\.2' || need_apt+=(libseccomp2)  # query workers kept off the network
[ -x /usr/bin/openrefine ] || need_apt+=(openrefine)                   # a real OpenRefine reconciles against /reconcile
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need_apt+=(nginx)  # the load balancer in the scale-out test
command -v virtuoso-t >/dev/null 2>&1 || need_apt+=(virtuoso-opensource)  # a default-graph-union store for the remote-store suite
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing system packages: ${need_apt[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "Please install: ${need_apt[*]} (needs root and apt-get)" >&2
  fi
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.bri-kg-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[test,bench]"
  touch "$stamp"
fi
# Byte-compile the project: every server, query worker and command starts 2-3x faster (about 1 s instead
# of 3 s to import the app on this machine), also where PYTHONDONTWRITEBYTECODE keeps Python from caching
# them itself. Python checks each file's timestamp, so an edited module is still read from its source.
.venv/bin/python -m compileall -q -j 0 api kg bri_kg bench tests >/dev/null
