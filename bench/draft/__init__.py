"""Leave-one-out benchmark of ``bri-kg draft`` on the curated corpus (``python -m bench.draft``)."""
