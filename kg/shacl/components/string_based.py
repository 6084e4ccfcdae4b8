"""String-based constraint components (SHACL §4.4): sh:minLength, sh:maxLength, sh:pattern (+ sh:flags),
sh:languageIn, sh:uniqueLang. Lengths and patterns apply to ``str()`` of IRIs and literals; a blank node
always fails them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import Literal

from kg.shacl.components.base import Component, Out, ValueComponent
from kg.shacl.errors import ShapesError
from kg.shacl.terms import Term, language_of, text

if TYPE_CHECKING:
    from rdflib.term import Node as RDFNode

    from kg.shacl.engine import Run
    from kg.shacl.shapes import Shape, ShapesGraph


class MinLengthComponent(ValueComponent):
    """§4.4.1"""

    name = "MinLength"

    def __init__(self, minimum: int) -> None:
        self.minimum = minimum

    def accepts(self, run: Run, value: Term) -> bool:
        return type(value) is not ox.BlankNode and len(text(value)) >= self.minimum

    def message(self) -> str:
        return f"Value is shorter than {self.minimum} characters (or a blank node)"


class MaxLengthComponent(ValueComponent):
    """§4.4.2"""

    name = "MaxLength"

    def __init__(self, maximum: int) -> None:
        self.maximum = maximum

    def accepts(self, run: Run, value: Term) -> bool:
        return type(value) is not ox.BlankNode and len(text(value)) <= self.maximum

    def message(self) -> str:
        return f"Value is longer than {self.maximum} characters (or a blank node)"


FLAGS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}


class PatternComponent(ValueComponent):
    """§4.4.3: a regular expression (with the XPath flags i, m, s, x and q) that str(value) matches."""

    name = "Pattern"

    def __init__(self, pattern: str, flags: str) -> None:
        self.pattern = pattern
        bits = 0
        for flag in flags:
            if flag == "q":
                pattern = re.escape(pattern)
            elif flag in FLAGS:
                bits |= FLAGS[flag]
            else:
                raise ShapesError(f"sh:flags {flags!r}: unknown flag {flag!r} (known: i, m, s, x, q)")
        self.regex = re.compile(pattern, bits)

    def accepts(self, run: Run, value: Term) -> bool:
        return type(value) is not ox.BlankNode and self.regex.search(text(value)) is not None

    def message(self) -> str:
        return f"Value does not match the pattern {self.pattern!r}"


def language_matches(tag: str, ranges: Sequence[str]) -> bool:
    """SPARQL langMatches (RFC 4647 basic filtering), case-insensitively."""
    tag = tag.lower()
    return bool(tag) and any(wanted in ("*", tag) or tag.startswith(wanted + "-") for wanted in ranges)


class LanguageInComponent(ValueComponent):
    """§4.4.4: each value node is a literal whose language tag matches one of the list."""

    name = "LanguageIn"

    def __init__(self, languages: list[str]) -> None:
        self.languages = [lang.lower() for lang in languages]

    def accepts(self, run: Run, value: Term) -> bool:
        return type(value) is ox.Literal and language_matches(language_of(value), self.languages)

    def message(self) -> str:
        return f"Language tag not one of {', '.join(self.languages)}"


class UniqueLangComponent(Component):
    """§4.4.5: no two value nodes share a language tag; one result per repeated tag."""

    name = "UniqueLang"

    def check(self, run: Run, shape: Shape, focus: Term, values: Sequence[Term], out: Out) -> bool:
        seen: set[str] = set()
        repeated: dict[str, None] = {}
        for value in values:
            if type(value) is ox.Literal:
                lang = language_of(value)
                if lang and lang in seen:
                    repeated[lang] = None
                seen.add(lang)
        if repeated and out is not None:
            out.extend(self.result(shape, focus) for _lang in repeated)
        return not repeated

    def message(self) -> str:
        return "More than one value shares a language tag"


def parse_min_length(sg: ShapesGraph, node: RDFNode, shape: Shape) -> list[Component]:
    minimum = sg.integer(node, "minLength")
    return [MinLengthComponent(minimum)] if minimum else []


def parse_max_length(sg: ShapesGraph, node: RDFNode, shape: Shape) -> list[Component]:
    maximum = sg.integer(node, "maxLength")
    return [] if maximum is None else [MaxLengthComponent(maximum)]


def parse_pattern(sg: ShapesGraph, node: RDFNode, shape: Shape) -> list[Component]:
    flags = sg.one(node, "flags")
    found: list[Component] = []
    for pattern in sg.values(node, "pattern"):
        if not isinstance(pattern, Literal):
            raise ShapesError(f"{sg.name(node)}: sh:pattern must be a literal")
        found.append(PatternComponent(str(pattern), str(flags) if flags is not None else ""))
    return found


def parse_language_in(sg: ShapesGraph, node: RDFNode, shape: Shape) -> list[Component]:
    found: list[Component] = []
    for value in sg.values(node, "languageIn"):
        languages = sg.items(node, value, "languageIn")
        if not all(isinstance(lang, Literal) for lang in languages):
            raise ShapesError(f"{sg.name(node)}: sh:languageIn must be a list of strings")
        found.append(LanguageInComponent([str(lang) for lang in languages]))
    return found


def parse_unique_lang(sg: ShapesGraph, node: RDFNode, shape: Shape) -> list[Component]:
    sg.property_only(shape, "uniqueLang")
    return [UniqueLangComponent()] if sg.boolean(node, "uniqueLang") else []


PARSERS = {"minLength": parse_min_length, "maxLength": parse_max_length, "pattern": parse_pattern,
           "languageIn": parse_language_in, "uniqueLang": parse_unique_lang}
PARAMETERS = frozenset(PARSERS) | {"flags"}
