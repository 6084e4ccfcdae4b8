"""The SHACL Core constraint components (§4), one module per section of the specification.

``PARSERS`` maps each component's parameter to the function that reads it from a shape (in the order
pySHACL and the specification list them); ``PARAMETERS`` is every parameter these modules understand.
"""

from __future__ import annotations

from kg.shacl.components import (
    cardinality,
    logical,
    other,
    property_pair,
    shape_based,
    string_based,
    value_range,
    value_type,
)
from kg.shacl.components.base import Component, Parser

MODULES = (value_type, cardinality, value_range, string_based, property_pair, logical, shape_based, other)

PARSERS: dict[str, Parser] = {}
PARAMETERS: set[str] = set()
for _module in MODULES:
    PARSERS.update(_module.PARSERS)
    PARAMETERS.update(_module.PARAMETERS)

__all__ = ["MODULES", "PARAMETERS", "PARSERS", "Component", "Parser"]
