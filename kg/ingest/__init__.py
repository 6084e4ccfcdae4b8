"""Annotations in: loading the YAML files, mapping them to RDF, locating their quotes."""
