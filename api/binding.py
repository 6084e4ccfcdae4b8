"""Binding parameters into query text for stores that cannot pre-bind variables (a remote SPARQL server).

The embedded store binds with Oxigraph's ``substitutions`` (the variable starts out bound). Over
HTTP there is no such thing, and neither obvious substitute gives the same answers: a trailing
``VALUES`` block is a join *after* the pattern, so ``FILTER(sameTerm(COALESCE(?p, ?x), ?x))`` or
``COALESCE(?p, "unset")`` inside the pattern still sees ``?p`` unbound and every row survives the
filter. So the variable is replaced, token by token, by the value written as a strictly checked
N-Triples term:

- the query is split by the lexer of :mod:`api.sparql_text`, so text inside strings, IRIs and
  comments is never touched and the value is never re-read as syntax; the term is rendered from a
  validated IRI (no ``<>"{}|^`\\`` or control characters) or an escaped string literal and must come
  back from the lexer as exactly one term, or binding fails;
- ``?p`` (or ``$p``) in the pattern, in expressions, in GRAPH, in CONSTRUCT templates becomes the term;
- ``?p`` in a SELECT projection becomes ``(<term> AS ?p)``, so the column is still there, bound to
  the value on every row, exactly as with Oxigraph's substitution;
- a bare ``?p`` in GROUP BY / ORDER BY becomes ``(<term>)`` (those clauses take expressions);
- ``BOUND(?p)`` becomes ``true`` (the variable is bound);
- a sub-SELECT that does not project ``?p`` has its own, unrelated ``?p``: it is left alone;
- ``... AS ?p`` or ``VALUES ?p`` would assign the parameter: refused, as is ``SELECT *`` (say which
  columns) and a top-level SELECT that does not project the parameter (Oxigraph refuses that too).

Differences from Oxigraph's pre-binding, for query authors: Oxigraph's ``BOUND(?p)`` is false and
``BIND(?p AS ?q)`` leaves ``?q`` unbound for a substituted variable, here both see the value; the
named queries avoid both (they use COALESCE). Blank nodes cannot be bound (they are not names).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from api.sparql_text import SKIPPED, Token, tokens
from api.store import QueryError, Term

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
# An absolute IRI that can be written between < and > without any escaping (SPARQL IRIREF).
SAFE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^<>\"{}|^`\\\x00-\x20]*")
LANGUAGE_TAG = re.compile(r"[A-Za-z]+(?:-[A-Za-z0-9]+)*")
VARIABLE_NAME = re.compile(r"[A-Za-z0-9_\u00B7\u00C0-\uFFFF]+")
_ECHAR = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_CLAUSE_END = {"HAVING", "ORDER", "LIMIT", "OFFSET", "VALUES", "GROUP"}


class BindingError(QueryError):
    """A value or a query shape that cannot be bound safely; the message says which and why."""

    def __init__(self, message: str):
        super().__init__("evaluation", message)


def render_iri(value: str) -> str:
    if not SAFE_IRI.fullmatch(value):
        raise BindingError(f"cannot bind {value!r}: not an absolute IRI that SPARQL can write without escaping")
    return f"<{value}>"


def render_term(term: Term) -> str:
    """The term in N-Triples/SPARQL syntax, from checked parts only; BindingError if it cannot be."""
    if term.kind == "uri":
        text = render_iri(term.value)
    elif term.kind == "literal":
        lexical = '"' + "".join(_ECHAR.get(c, c) for c in term.value) + '"'
        if term.lang:
            if not LANGUAGE_TAG.fullmatch(term.lang):
                raise BindingError(f"cannot bind a literal with language tag {term.lang!r}")
            text = f"{lexical}@{term.lang}"
        elif term.datatype and term.datatype not in (XSD_STRING, RDF_LANG_STRING):
            text = f"{lexical}^^{render_iri(term.datatype)}"
        elif term.datatype == RDF_LANG_STRING:
            raise BindingError("cannot bind an rdf:langString literal without a language tag")
        else:
            text = lexical
    else:
        raise BindingError(f"cannot bind a {term.kind}: only IRIs and literals can be written into a query")
    _check_single_term(text, term)
    return text


def _check_single_term(text: str, term: Term) -> None:
    """Belt and braces: the lexer must read the rendering back as one term and nothing else."""
    kinds = [t.kind for t in tokens(text)]
    expected = (
        [["iri"]]
        if term.kind == "uri"
        else [["string"], ["string", "lang"], ["string", "other", "other", "iri"]]
    )
    if kinds not in expected:
        raise BindingError(f"cannot bind {term.value!r}: it does not read back as a single term")


def _parameter(token: Token, names: Mapping[str, str]) -> str | None:
    return token.text[1:] if token.kind == "var" and token.text[1:] in names else None


def _projection(sig: list[Token], start: int) -> tuple[set[str], bool, int]:
    """Variables projected by the SELECT at ``sig[start]`` (bare or ``AS ?v``), whether it is ``*``, and
    the index where the projection ends (the ``{``, WHERE or FROM that follows it)."""
    depth, projected, star, i = 0, set(), False, start + 1
    while i < len(sig):
        token = sig[i]
        word = token.text.upper() if token.kind == "word" else ""
        if depth == 0 and (token.text == "{" or word in ("WHERE", "FROM")):
            break
        if token.text == "(":
            depth += 1
        elif token.text == ")":
            depth -= 1
        elif token.text == "*" and depth == 0:
            star = True
        elif token.kind == "var" and (depth == 0 or (i > 0 and sig[i - 1].text.upper() == "AS")):
            projected.add(token.text[1:])
        i += 1
    return projected, star, i


def bind_parameters(query: str, bindings: Mapping[str, Term]) -> str:
    """*query* with every bound variable replaced by its value (see the module docstring for the rules)."""
    if not bindings:
        return query
    for name in bindings:
        if not VARIABLE_NAME.fullmatch(name):
            raise BindingError(f"{name!r} is not a SPARQL variable name")
    terms = {name: render_term(term) for name, term in bindings.items()}
    all_tokens = tokens(query)
    positions = [i for i, t in enumerate(all_tokens) if t.kind not in SKIPPED]
    sig = [all_tokens[i] for i in positions]
    out: dict[int, str] = {}  # index in sig -> replacement text

    # Brace frames: for a sub-SELECT, the variables it projects (None: not a sub-SELECT, or SELECT *).
    frames: list[set[str] | None] = []
    projection_end = -1  # sig index where the current SELECT projection ends
    projection_depth = 0
    clause: str | None = None  # "group" (GROUP BY / ORDER BY) or "values" (a VALUES header)
    clause_depth = 0
    paren = 0
    top_form: str | None = None
    top_projection: tuple[set[str], bool] | None = None

    for i, token in enumerate(sig):
        text = token.text
        word = text.upper() if token.kind == "word" else ""
        if word in ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK") and top_form is None and not frames:
            top_form = word
        if word == "SELECT":
            projected, star, end = _projection(sig, i)
            projection_end, projection_depth = end, paren
            if frames:
                frames[-1] = None if star else projected
            elif top_projection is None:
                top_projection = (projected, star)
        if text == "{":
            frames.append(None)
            if clause == "values":
                clause = None
        elif text == "}":
            if frames:
                frames.pop()
            if clause == "group" and paren == clause_depth:
                clause = None
        elif text == "(":
            paren += 1
        elif text == ")":
            paren -= 1
        elif word in ("GROUP", "ORDER") and i + 1 < len(sig) and sig[i + 1].text.upper() == "BY":
            clause, clause_depth = "group", paren
        elif word in _CLAUSE_END and clause == "group" and paren == clause_depth:
            clause = None
        if word == "VALUES":
            clause = "values"
        name = _parameter(token, terms)
        if name is None:
            continue
        if any(frame is not None and name not in frame for frame in frames):
            continue  # inside a sub-SELECT that does not project it: a different variable
        previous = sig[i - 1].text.upper() if i > 0 else ""
        if previous == "AS":
            raise BindingError(f"?{name} is assigned in the query (AS ?{name}), so it cannot be a parameter")
        if clause == "values":
            raise BindingError(f"?{name} is listed in a VALUES clause, so it cannot be a parameter")
        if previous == "(" and i >= 2 and sig[i - 2].text.upper() == "BOUND":
            if i + 1 >= len(sig) or sig[i + 1].text != ")":
                raise BindingError(f"BOUND(?{name}) is malformed")
            out[i - 2], out[i - 1], out[i], out[i + 1] = "true", "", "", ""
            continue
        if i < projection_end and paren == projection_depth:
            out[i] = f"({terms[name]} AS {text})"
        elif clause == "group" and paren == clause_depth:
            out[i] = f"({terms[name]})"
        else:
            out[i] = terms[name]

    if top_form == "SELECT" and top_projection is not None:
        projected, star = top_projection
        if star:
            raise BindingError("name the columns (not SELECT *) of a query whose variables are bound")
        missing = sorted(set(terms) - projected)
        if missing:
            raise BindingError(
                "The SPARQL query does not contain variable "
                + ", ".join(f"?{m}" for m in missing)
                + " in its SELECT projection"
            )
    result = list(t.text for t in all_tokens)
    for index, replacement in out.items():
        result[positions[index]] = replacement
    return "".join(result)
