"""HTML pages: the Jinja2 environment and the canonical-IRI -> this-server link mapping.

Data keeps its canonical IRIs (https://w3id.org/bri-kg/...), in RDF answers too, so they stay
stable whoever serves them. Pages link to *this* server instead: a canonical IRI under the base
becomes a root-relative link (``/id/place/chengdu``, ``/ontology#City``), which the browser
resolves against whatever host and port it used, so no host name is configured anywhere.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

TEMPLATES = Path(__file__).parent / "templates"

_env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def local_href(iri: str, base: str) -> str:
    """Where a browser should go for *iri*: on this server if it is ours, else the IRI itself."""
    if not iri.startswith(base):
        return iri
    rest = iri[len(base) :]
    if rest.startswith("id/"):
        return "/" + rest
    if rest.startswith("ontology#") or rest == "ontology":
        return "/" + rest
    if rest.startswith("dumps/"):
        return "/" + rest
    if rest in ("dataset", "void"):
        return "/.well-known/void"
    if rest.startswith("graph/"):
        return "/id/document/" + rest[len("graph/") :] if rest != "graph/ontology" else "/ontology"
    if rest == "sparql":
        return "/sparql"
    return iri


def render(
    request: Request,
    template: str,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    services = getattr(request.state, "services", None)  # pinned by api.live for the request's whole life
    base = services.settings.base_iri if services else "https://w3id.org/bri-kg/"
    version = services.build.version if services else ""
    labels = services.index.label if services else (lambda iri: iri)
    html = _env.get_template(template).render(
        request=request, href=lambda iri: local_href(iri, base), labels=labels, version=version, base_iri=base,
        **context
    )
    out = {"Vary": "Accept"}
    out.update(headers or {})
    return HTMLResponse(html, status_code=status_code, headers=out)
