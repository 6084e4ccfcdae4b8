"""The bri-kg HTTP API: SPARQL 1.1 endpoint, linked-data pages, analyst endpoints, named queries, dumps.

Kept import-light on purpose: query worker processes import ``api.worker`` and must start fast.
"""
