"""The ``bri-kg`` command: build, validate, query, serve, load."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from kg.config import Settings, get_settings
from kg.errors import BuildError

app = typer.Typer(help="bri-kg: the Belt and Road STI cooperation knowledge graph.", no_args_is_help=True,
                  pretty_exceptions_enable=False)
console = Console(stderr=True)


@app.command()
def build() -> None:
    """Map the annotations to RDF, validate (SHACL + OWL), write the store and the dumps in dist/."""
    from kg.build import build as run_build

    settings = get_settings()
    with console.status("Building") as status:
        def progress(message: str) -> None:
            status.update(message)
            console.log(message)

        try:
            result = run_build(settings, progress)
        except BuildError as exc:
            console.print(f"[bold red]Build failed[/]; the previous store and dumps are untouched.\n{exc}",
                          markup=True, highlight=False)
            raise typer.Exit(1) from None
    console.print(f"[green]Built {result.version}[/] in {result.seconds:.1f}s: {result.counts['triples']} triples, "
                  f"{result.counts['graphs']} document graphs -> {settings.dist_dir}/")


@app.command()
def validate(file: Annotated[Path, typer.Argument(help="A Turtle, N-Triples, N-Quads, TriG or JSON-LD file")]) -> None:
    """Validate any RDF file against the bri-kg SHACL shapes and print a readable report."""
    from kg.validate_file import UnreadableFile, validate_file

    try:
        report = validate_file(file, get_settings())
    except UnreadableFile as exc:
        console.print(f"[red]{exc}[/]", markup=True, highlight=False)
        raise typer.Exit(2) from None
    print(report.render(limit=200))
    raise typer.Exit(0 if report.conforms else 1)


@app.command()
def query(
    sparql: Annotated[str, typer.Argument(help="A SPARQL query, or @FILE to read it from a file")],
    fmt: Annotated[str, typer.Option(
        "--format", help="json, xml, csv or tsv for SELECT/ASK; ttl, nt for graphs")] = "csv",
) -> None:
    """Run a read-only SPARQL query against the current build's store and print the results."""
    import pyoxigraph as ox

    from kg.store import open_embedded

    text = Path(sparql[1:]).read_text(encoding="utf-8") if sparql.startswith("@") else sparql
    settings = get_settings()
    store = open_embedded(settings.current_link / "store")
    try:
        result = store.query(text)
    except SyntaxError as exc:
        console.print(f"[red]Malformed query:[/] {exc}", markup=True, highlight=False)
        raise typer.Exit(2) from None
    if isinstance(result, ox.QueryTriples):
        rdf_format = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES}.get(fmt, ox.RdfFormat.TURTLE)
        sys.stdout.buffer.write(result.serialize(format=rdf_format) or b"")
    else:
        results_format = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
                          "tsv": ox.QueryResultsFormat.TSV}.get(fmt, ox.QueryResultsFormat.CSV)
        sys.stdout.buffer.write(result.serialize(format=results_format) or b"")


@app.command()
def load(
    endpoint: Annotated[str, typer.Option(help="Base URL of a SPARQL 1.1 server, e.g. http://127.0.0.1:7878")],
    graph_store: Annotated[str | None, typer.Option(help="Graph Store Protocol URL (default: ENDPOINT/store)")] = None,
) -> None:
    """Push the current build into a SPARQL 1.1 server (Graph Store Protocol, one PUT per named graph)."""
    from kg.build import current_build
    from kg.remote import RemoteEndpoints, RemoteLoadError, load_into_server

    settings = get_settings()
    build_dir = current_build(settings)
    if build_dir is None:
        console.print("[red]No build yet:[/] run `bri-kg build` first.", markup=True)
        raise typer.Exit(1)
    endpoints = RemoteEndpoints.for_base(endpoint)
    if graph_store:
        endpoints = RemoteEndpoints(endpoints.query_url, graph_store)
    try:
        sizes = load_into_server(build_dir, endpoints, build_dir / "dist" / "ontology.ttl", console.log)
    except RemoteLoadError as exc:
        console.print(f"[red]Load failed:[/] {exc}", markup=True, highlight=False)
        raise typer.Exit(1) from None
    console.print(f"[green]Loaded[/] {len(sizes)} graphs, {sum(sizes.values())} triples into {endpoint}",
                  markup=True)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to listen on (default 127.0.0.1)")] = None,
    port: Annotated[int | None, typer.Option(help="TCP port (default 8000)")] = None,
    workers: Annotated[int | None, typer.Option(help="Query worker processes (default 2)")] = None,
) -> None:
    """Serve the SPARQL endpoint, entity pages, analyst API and dumps; builds the graph first if needed."""
    import uvicorn

    from api.app import create_app
    from api.config import api_settings

    settings = api_settings(settings_with(host=host, port=port), query_workers=workers)
    if not (settings.current_link / "store").is_dir():
        console.print("[yellow]No built store yet: building first.[/]", markup=True)
        build()
    console.print(f"Serving on http://{settings.host}:{settings.port}/ (SPARQL at /sparql)")
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info",
                proxy_headers=False, timeout_graceful_shutdown=5)


def settings_with(**overrides: object) -> Settings:
    """The settings, with CLI flags taking precedence over the environment."""
    base = get_settings()
    return base.model_copy(update={k: v for k, v in overrides.items() if v is not None})


if __name__ == "__main__":
    app()
