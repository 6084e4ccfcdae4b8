"""The ``bri-kg`` command: build, validate, query, serve, reload, load, index, synth; draft, lookup, check,
gazetteer, names; release, diff.

It sits above both packages: ``kg`` (the build) and ``api`` (the server) never import it, so
neither imports the other through it. Heavy imports happen inside each command. The commands are
defined by job in ``bri_kg.operations``, ``bri_kg.curate`` and ``bri_kg.publishing``; importing them
here registers them on ``app``."""

from __future__ import annotations

from bri_kg import curate, operations, publishing
from bri_kg.app import app

__all__ = ["app", "curate", "operations", "publishing"]

if __name__ == "__main__":
    app()
