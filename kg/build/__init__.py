"""Making a build: the pipeline (``pipeline.build``), and what it writes (store, dumps, publish)."""
