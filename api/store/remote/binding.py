"""Binding parameters into query text for stores that cannot pre-bind variables (a remote SPARQL server).

The embedded store binds with Oxigraph's ``substitutions`` (the variable starts out bound). Over
HTTP there is no such thing, and neither obvious substitute gives the same answers: a trailing
``VALUES`` block is a join *after* the pattern, so ``FILTER(sameTerm(COALESCE(?p, ?x), ?x))`` or
``COALESCE(?p, "unset")`` inside the pattern still sees ``?p`` unbound and every row survives the
filter. So the variable is replaced, token by token, by the value written as a strictly checked
N-Triples term:

- the query is split by the lexer of :mod:`api.sparql.text`, so text inside strings, IRIs and
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
from dataclasses import dataclass, field

from api.sparql.text import SKIPPED, Token, tokens
from api.store.errors import BindingError
from api.store.terms import RDF_LANG_STRING, XSD_STRING, Term, bindable_iri, quoted_string

LANGUAGE_TAG = re.compile(r"[A-Za-z]+(?:-[A-Za-z0-9]+)*")
VARIABLE_NAME = re.compile(r"[A-Za-z0-9_\u00B7\u00C0-\uFFFF]+")
_CLAUSE_END = {"HAVING", "ORDER", "LIMIT", "OFFSET", "VALUES", "GROUP"}
_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")


def render_iri(value: str) -> str:
    if not bindable_iri(value):
        raise BindingError(f"cannot bind {value!r}: not an absolute IRI that SPARQL can write without escaping")
    return f"<{value}>"


def _render_literal(term: Term) -> str:
    lexical = quoted_string(term.value)
    if term.lang:
        if not LANGUAGE_TAG.fullmatch(term.lang):
            raise BindingError(f"cannot bind a literal with language tag {term.lang!r}")
        return f"{lexical}@{term.lang}"
    if term.datatype == RDF_LANG_STRING:
        raise BindingError("cannot bind an rdf:langString literal without a language tag")
    if term.datatype and term.datatype != XSD_STRING:
        return f"{lexical}^^{render_iri(term.datatype)}"
    return lexical


def render_term(term: Term) -> str:
    """The term in N-Triples/SPARQL syntax, from checked parts only; BindingError if it cannot be."""
    if term.kind == "uri":
        text = render_iri(term.value)
    elif term.kind == "literal":
        text = _render_literal(term)
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


def _word(token: Token) -> str:
    return token.text.upper() if token.kind == "word" else ""


def _projection(sig: list[Token], start: int) -> tuple[set[str], bool, int]:
    """Variables projected by the SELECT at ``sig[start]`` (bare or ``AS ?v``), whether it is ``*``, and
    the index where the projection ends (the ``{``, WHERE or FROM that follows it)."""
    depth, projected, star, i = 0, set(), False, start + 1
    while i < len(sig):
        token = sig[i]
        if depth == 0 and (token.text == "{" or _word(token) in ("WHERE", "FROM")):
            break
        if token.text in ("(", ")"):
            depth += 1 if token.text == "(" else -1
        elif token.text == "*" and depth == 0:
            star = True
        elif token.kind == "var" and (depth == 0 or sig[i - 1].text.upper() == "AS"):
            projected.add(token.text[1:])
        i += 1
    return projected, star, i


@dataclass
class _Binder:
    """One pass over the significant tokens: tracks where each token stands (sub-SELECT frames, the
    SELECT projection, GROUP BY / ORDER BY, VALUES, parentheses) and decides each parameter's rendering."""

    sig: list[Token]
    terms: dict[str, str]
    out: dict[int, str] = field(default_factory=dict)  # index in sig -> replacement text
    frames: list[set[str] | None] = field(default_factory=list)  # per brace: a sub-SELECT's projection
    projection_end: int = -1  # sig index where the current SELECT projection ends
    projection_depth: int = 0
    clause: str | None = None  # "group" (GROUP BY / ORDER BY) or "values" (a VALUES header)
    clause_depth: int = 0
    paren: int = 0
    top_form: str | None = None
    top_projection: tuple[set[str], bool] | None = None

    def run(self) -> dict[int, str]:
        for i, token in enumerate(self.sig):
            self._track_form(i, token)
            self._track_brackets(token)
            self._track_clause(i, token)
            if token.kind == "var" and token.text[1:] in self.terms:
                self._bind(i, token, token.text[1:])
        self._check_projection()
        return self.out

    def _track_form(self, i: int, token: Token) -> None:
        word = _word(token)
        if word in _FORMS and self.top_form is None and not self.frames:
            self.top_form = word
        if word != "SELECT":
            return
        projected, star, self.projection_end = _projection(self.sig, i)
        self.projection_depth = self.paren
        if self.frames:
            self.frames[-1] = None if star else projected
        elif self.top_projection is None:
            self.top_projection = (projected, star)

    def _track_brackets(self, token: Token) -> None:
        if token.text == "{":
            self.frames.append(None)
            if self.clause == "values":
                self.clause = None
        elif token.text == "}":
            if self.frames:
                self.frames.pop()
            if self.clause == "group" and self.paren == self.clause_depth:
                self.clause = None
        elif token.text == "(":
            self.paren += 1
        elif token.text == ")":
            self.paren -= 1

    def _track_clause(self, i: int, token: Token) -> None:
        word = _word(token)
        if word in ("GROUP", "ORDER") and i + 1 < len(self.sig) and self.sig[i + 1].text.upper() == "BY":
            self.clause, self.clause_depth = "group", self.paren
        elif word in _CLAUSE_END and self.clause == "group" and self.paren == self.clause_depth:
            self.clause = None
        if word == "VALUES":
            self.clause = "values"

    def _bind(self, i: int, token: Token, name: str) -> None:
        if any(frame is not None and name not in frame for frame in self.frames):
            return  # inside a sub-SELECT that does not project it: a different variable
        previous = self.sig[i - 1].text.upper() if i > 0 else ""
        if previous == "AS":
            raise BindingError(f"?{name} is assigned in the query (AS ?{name}), so it cannot be a parameter")
        if self.clause == "values":
            raise BindingError(f"?{name} is listed in a VALUES clause, so it cannot be a parameter")
        if previous == "(" and i >= 2 and self.sig[i - 2].text.upper() == "BOUND":
            if i + 1 >= len(self.sig) or self.sig[i + 1].text != ")":
                raise BindingError(f"BOUND(?{name}) is malformed")
            self.out[i - 2], self.out[i - 1], self.out[i], self.out[i + 1] = "true", "", "", ""
        elif i < self.projection_end and self.paren == self.projection_depth:
            self.out[i] = f"({self.terms[name]} AS {token.text})"
        elif self.clause == "group" and self.paren == self.clause_depth:
            self.out[i] = f"({self.terms[name]})"
        else:
            self.out[i] = self.terms[name]

    def _check_projection(self) -> None:
        if self.top_form != "SELECT" or self.top_projection is None:
            return
        projected, star = self.top_projection
        if star:
            raise BindingError("name the columns (not SELECT *) of a query whose variables are bound")
        missing = sorted(set(self.terms) - projected)
        if missing:
            raise BindingError(
                "The SPARQL query does not contain variable "
                + ", ".join(f"?{m}" for m in missing)
                + " in its SELECT projection"
            )


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
    replacements = _Binder([all_tokens[i] for i in positions], terms).run()
    result = [t.text for t in all_tokens]
    for index, replacement in replacements.items():
        result[positions[index]] = replacement
    return "".join(result)


def _coalesce_first(sig: list[Token], i: int) -> bool:
    """Whether ``sig[i]`` is the first of two or more arguments of a COALESCE."""
    return (i >= 2 and sig[i - 1].text == "(" and _word(sig[i - 2]) == "COALESCE"
            and i + 1 < len(sig) and sig[i + 1].text == ",")


def _never_bound(sig: list[Token]) -> set[str]:
    """Variables that nothing in the query can bind: each occurrence is a COALESCE's first argument or
    a bare name in a SELECT projection (an unbound named-query parameter, for instance)."""
    places: dict[str, list[bool]] = {}
    projection_end, depth = -1, 0
    for i, token in enumerate(sig):
        if _word(token) == "SELECT":
            _, _, projection_end = _projection(sig, i)
            depth = 0
        if token.text in ("(", ")") and i < projection_end:
            depth += 1 if token.text == "(" else -1
        if token.kind == "var":
            harmless = _coalesce_first(sig, i) or (i < projection_end and depth == 0)
            places.setdefault(token.text[1:], []).append(harmless)
    return {name for name, harmless in places.items() if all(harmless)}


def drop_unbound_coalesce(query: str) -> str:
    """*query* with ``COALESCE(?v, x, ...)`` written ``COALESCE(x, ...)`` for every variable ``?v`` nothing
    can bind. The same query under SPARQL 1.1 (COALESCE skips an unbound argument, 17.4.1.4), spelled so
    that servers which mishandle a never-bound variable there (OpenLink Virtuoso 7.2 drops every row of
    ``FILTER(sameTerm(COALESCE(?p, ?x), ?x))`` followed by a join) answer it as Oxigraph does: the named
    queries' optional parameters are written that way."""
    all_tokens = tokens(query)
    positions = [i for i, t in enumerate(all_tokens) if t.kind not in SKIPPED]
    sig = [all_tokens[i] for i in positions]
    unbound = {name for name in _never_bound(sig)
               if any(t.kind == "var" and t.text[1:] == name and _coalesce_first(sig, i) for i, t in enumerate(sig))}
    if not unbound:
        return query
    result = [t.text for t in all_tokens]
    for i, token in enumerate(sig):
        if token.kind == "var" and token.text[1:] in unbound and _coalesce_first(sig, i):
            result[positions[i]] = ""
            result[positions[i + 1]] = ""  # its comma
    return "".join(result)
