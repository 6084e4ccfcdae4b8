"""What goes wrong before any data is looked at: the shapes graph itself."""

from __future__ import annotations


class ShapesError(ValueError):
    """The shapes graph is not well-formed SHACL (a failure in the sense of SHACL §3.6.1.1 / §3.6.2)."""


class UnsupportedShapes(ShapesError):
    """The shapes use a feature outside SHACL Core that this validator does not implement (SPARQL-based
    constraints or targets, SHACL-AF rules...): it refuses rather than validate less than asked."""
