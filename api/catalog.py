"""The named-query catalog: the ``queries/*.rq`` files read, and their typed parameters checked.

A file starts with a comment header::

    # title: Alliances launched at a conference
    # description: ...
    # param: conference | iri | required | The conference
    SELECT ... WHERE { ?alliance bri:launchedAt ?conference }

Parameters reach the query only as bound values, after their type is checked: through Oxigraph's
``substitutions`` (a pre-bound variable) in the embedded store, written as checked and escaped
terms by ``api.store.remote.binding`` for a remote store. An ``iri`` must be absolute (or an entity id such as
``place/chengdu``, expanded under the id base), integers, decimals and dates must parse. Query text is never built
from request data. ``limit``, ``offset`` and ``format`` are the endpoint's own parameters.

For query authors: docs/queries.md (a parameter variable must be in the SELECT projection and
outside sub-SELECTs, ``BOUND(?param)`` does not see a substituted value, and the planner does not
know a substituted variable is bound, which decides which query shapes stay fast).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from api.sparql.protocol import ABSOLUTE_IRI
from api.store.terms import Term
from api.web.models import QueryParam

log = logging.getLogger("bri_kg.api")
XSD = "http://www.w3.org/2001/XMLSchema#"
PARAM_TYPES = ("iri", "string", "integer", "decimal", "date")
RESERVED = {"limit", "offset", "format"}
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]*$")
ENTITY_ID = re.compile(r"^[a-z0-9][a-z0-9\-]*/[A-Za-z0-9][A-Za-z0-9\-_./]*$")


class QueryFileError(ValueError):
    """A .rq file whose header does not follow the format."""


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    params: tuple[QueryParam, ...]
    sparql: str
    path: Path


def parse_query_file(path: Path) -> NamedQuery:
    """Read the header (title, description, params) and the SPARQL text of one .rq file."""
    text = path.read_text(encoding="utf-8")
    fields: dict[str, str] = {}
    params: list[QueryParam] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        key, sep, value = stripped.lstrip("#").strip().partition(":")
        key = key.strip().lower()
        if not sep or key not in ("title", "description", "param"):
            continue
        if key == "param":
            parts = [p.strip() for p in value.split("|")]
            if len(parts) < 3:
                raise QueryFileError(f"{path.name}: param line needs 'name | type | required|optional | text'")
            name, kind, need = parts[0].lstrip("?$"), parts[1].lower(), parts[2].lower()
            if kind not in PARAM_TYPES:
                raise QueryFileError(f"{path.name}: param {name!r} has type {kind!r}; use one of {PARAM_TYPES}")
            if need not in ("required", "optional"):
                raise QueryFileError(f"{path.name}: param {name!r} must be 'required' or 'optional'")
            params.append(
                QueryParam(
                    name=name,
                    type=kind,  # type: ignore[arg-type]  # checked against PARAM_TYPES above
                    required=need == "required",
                    description=parts[3] if len(parts) > 3 else "",
                )
            )
        elif key == "description" and "description" in fields:
            fields[key] += " " + value.strip()
        else:
            fields[key] = value.strip()
    return NamedQuery(
        path.stem, fields.get("title", path.stem), fields.get("description", ""), tuple(params), text, path
    )


def load_queries(folder: Path) -> dict[str, NamedQuery]:
    """Every well-formed .rq file of *folder*, by file stem; malformed ones are skipped (and logged)."""
    queries: dict[str, NamedQuery] = {}
    if not folder.is_dir():
        return queries
    for path in sorted(folder.glob("*.rq")):
        try:
            queries[path.stem] = parse_query_file(path)
        except (QueryFileError, UnicodeDecodeError) as exc:
            log.warning("skipping named query: %s", exc)
    return queries


def bind_value(param: QueryParam, raw: str, id_base: str) -> Term:
    """Check *raw* against the parameter's type and make the RDF term; ValueError says what is wrong."""
    value = raw.strip()
    if param.type == "iri":
        if ENTITY_ID.match(value) and ":" not in value:
            value = id_base + value
        if not ABSOLUTE_IRI.match(value):
            raise ValueError(
                f"parameter {param.name!r} must be an absolute IRI (or an entity id like 'place/chengdu'), got {raw!r}"
            )
        return Term.iri(value)
    if param.type == "integer":
        if not re.fullmatch(r"[+-]?\d+", value):
            raise ValueError(f"parameter {param.name!r} must be an integer, got {raw!r}")
        return Term.literal(str(int(value)), XSD + "integer")
    if param.type == "decimal":
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise ValueError(f"parameter {param.name!r} must be a decimal number, got {raw!r}") from None
        if not number.is_finite():
            raise ValueError(f"parameter {param.name!r} must be a finite decimal, got {raw!r}")
        return Term.literal(format(number, "f"), XSD + "decimal")
    if param.type == "date":
        try:
            return Term.literal(dt.date.fromisoformat(value).isoformat(), XSD + "date")
        except ValueError:
            raise ValueError(f"parameter {param.name!r} must be a date YYYY-MM-DD, got {raw!r}") from None
    return Term.literal(raw)


def bind_params(query: NamedQuery, given: dict[str, str], id_base: str) -> dict[str, Term]:
    """Validate every given parameter and that every required one is there; ValueError otherwise."""
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(given) - set(declared))
    if unknown:
        raise ValueError(
            f"unknown parameter(s) {', '.join(unknown)}; {query.name} takes: "
            + (", ".join(declared) or "no parameters")
        )
    missing = [p.name for p in query.params if p.required and not given.get(p.name, "").strip()]
    if missing:
        raise ValueError(f"missing required parameter(s): {', '.join(missing)}")
    return {name: bind_value(declared[name], raw, id_base) for name, raw in given.items() if raw.strip()}
