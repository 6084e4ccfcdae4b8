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
    fmt: Annotated[str, typer.Option("--format", help="json, xml, csv or tsv for SELECT/ASK; ttl, nt for graphs")] = "csv",
) -> None:
    """Run a read-only SPARQL query against the current build's store and print the results."""
    import pyoxigraph as ox

    from kg.store import open_embedded

    text = Path(sparql[1:]).read_text(encoding="utf-8") if sparql.startswith("@") else sparql
    settings = get_settings()
    store = open_embedded(settings.current_link / "store")
    try:
        result = store.query(text, use_default_graph_as_union=True)
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


def settings_with(**overrides: object) -> Settings:
    """The settings, with CLI flags taking precedence over the environment."""
    base = get_settings()
    return base.model_copy(update={k: v for k, v in overrides.items() if v is not None})


if __name__ == "__main__":
    app()
