"""The project's vocabulary, in one place.

- ``namespaces``: every namespace as a plain string, and the prefixes Turtle declares;
- ``terms``: the ``bri:`` terms as plain strings (generated from the ontology), for the API;
- ``bri`` / ``rdf``: the same as rdflib terms, for the build (``BRI`` is closed: a typo fails).

``python -m kg.vocab.generate`` rewrites the generated modules after the ontology changes. This
package file imports nothing, so reading a namespace string does not load rdflib.
"""
