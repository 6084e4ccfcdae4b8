"""``python -m bri_kg``: the same as the ``bri-kg`` command."""

from bri_kg.cli import app

app()
