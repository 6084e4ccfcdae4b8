"""Commands that make, check and serve a build: build, validate, query, load, serve, reload, index, synth."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from bri_kg.app import app, console, fail, require_build, settings_with
from kg.config import get_settings
from kg.errors import BuildError
from kg.layout import INDEX_FILE, current_build


@app.command()
def build(full: Annotated[bool, typer.Option("--full", help="Build everything, even if only a document changed")]
          = False) -> None:
    """Map the annotations to RDF, validate (SHACL + OWL), write the store and the dumps in dist/ (only what
    changed since the current build, unless --full)."""
    from kg.build.pipeline import build as run_build

    settings = get_settings()
    with console.status("Building") as status:
        def progress(message: str) -> None:
            status.update(message)
            console.log(message)

        try:
            result = run_build(settings, progress, incremental=not full)
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

    from api.sparql.text import classify
    from api.store.embedded.confine import ConfinementError, deny_network
    text = Path(sparql[1:]).read_text(encoding="utf-8") if sparql.startswith("@") else sparql
    settings = get_settings()
    operation = classify(text)
    if operation.is_update:
        fail("This is a SPARQL Update: the store is read-only; rebuild with `bri-kg build` instead.", 2)
    if operation.uses_service and not settings.allow_service:
        fail("SERVICE (federated query) is disabled: set BRI_KG_ALLOW_SERVICE=true to allow it.", 2)
    if not settings.allow_service:
        try:
            deny_network()  # as the server's query workers: no query makes this process fetch
        except ConfinementError as exc:
            fail(f"Cannot run queries off the network: {exc}", 2)
    store = require_build(settings).open_store()
    try:
        result = store.query(text)
        if isinstance(result, ox.QueryTriples):
            rdf_format = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES}.get(fmt, ox.RdfFormat.TURTLE)
            body = result.serialize(format=rdf_format)
        else:
            results_format = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
                              "tsv": ox.QueryResultsFormat.TSV}.get(fmt, ox.QueryResultsFormat.CSV)
            body = result.serialize(format=results_format)
    except SyntaxError as exc:
        fail(f"Malformed query: {exc}", 2)
    except (OSError, RuntimeError, ValueError) as exc:  # evaluation errors surface while serialising
        fail(f"Query failed: {exc}", 1)
    sys.stdout.buffer.write(body or b"")


@app.command()
def load(
    endpoint: Annotated[str | None, typer.Option(
        help="Base URL of a SPARQL 1.1 server, e.g. http://127.0.0.1:7878 (default: BRI_KG_STORE)")] = None,
    graph_store: Annotated[str | None, typer.Option(
        help="Graph Store Protocol URL (default: BRI_KG_STORE_GRAPH_STORE_URL, else ENDPOINT/store)")] = None,
    default_graph: Annotated[bool, typer.Option(
        help="Also PUT the union of all graphs into the default graph (what queries without FROM see)")] = True,
    union_graph: Annotated[str | None, typer.Option(
        help="PUT the union into this named graph instead of the default graph, for servers whose default "
             "graph is already a union (GraphDB, Virtuoso, Neptune, QLever); serve with "
             "BRI_KG_STORE_DEFAULT_GRAPH set to the same IRI (default: BRI_KG_STORE_DEFAULT_GRAPH)")] = None,
) -> None:
    """Push the current build into a SPARQL 1.1 server (Graph Store Protocol: one PUT per named graph,
    then the union into the default graph)."""
    from kg.config import RemoteEndpoints
    from kg.publish.remote import RemoteLoadError, http_auth, load_into_server

    settings = get_settings()
    current = require_build(settings)
    try:
        endpoints = RemoteEndpoints.from_settings(settings, base=endpoint, graph_store_url=graph_store)
    except ValueError as exc:
        console.print(f"[red]{exc}[/]", markup=True, highlight=False)
        raise typer.Exit(2) from None
    if not endpoints.graph_store_url:
        console.print("[red]No Graph Store Protocol URL:[/] give --graph-store or --endpoint.", markup=True)
        raise typer.Exit(2)
    union = union_graph or settings.store_default_graph or None
    try:
        report = load_into_server(current, endpoints, console.log, default_graph=default_graph, union_graph=union,
                                  auth=http_auth(settings))
    except RemoteLoadError as exc:
        console.print(f"[red]Load failed:[/] {exc}", markup=True, highlight=False)
        raise typer.Exit(1) from None
    console.print(f"[green]Loaded[/] {len(report.graphs)} document graphs ({report.document_triples} triples), "
                  f"the ontology ({report.ontology} triples)"
                  + (f" and {f'the union graph {union}' if union else 'the default graph'} ({report.default} triples)"
                     if default_graph else "")
                  + f" into {endpoints.graph_store_url}", markup=True, highlight=False)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to listen on (default 127.0.0.1)")] = None,
    port: Annotated[int | None, typer.Option(help="TCP port (default 8000)")] = None,
    workers: Annotated[int | None, typer.Option(help="Query worker processes (default 2)")] = None,
    store: Annotated[str | None, typer.Option(
        help="Answer from this SPARQL 1.1 server (base URL, e.g. http://127.0.0.1:7878) instead of the "
             "embedded store; load it first with `bri-kg load --endpoint URL` (default: BRI_KG_STORE)")] = None,
    store_query_url: Annotated[str | None, typer.Option(
        help="The server's query URL when it is not STORE/query (Fuseki: .../ds/sparql, GraphDB: "
             ".../repositories/ID, Virtuoso: .../sparql)")] = None,
    access_log: Annotated[bool, typer.Option(
        "--access-log", help="Log every request (off by default: a line per request costs about as much as "
                             "a small query; a proxy in front usually logs them)")] = False,
) -> None:
    """Serve the SPARQL endpoint, entity pages, analyst API and dumps.

    With the embedded store it builds the graph first if there is none; with a remote store
    (--store or BRI_KG_STORE) it builds and loads nothing: push a build with `bri-kg load` first."""
    import copy

    import uvicorn

    from api.app import create_app
    from api.config import api_settings
    from api.web.http import http_protocol

    settings = api_settings(settings_with(host=host, port=port, store=store, store_query_url=store_query_url),
                            query_workers=workers)
    if settings.remote:
        where = settings.store_query_url or settings.store
        console.print(f"Using the remote store at {where} (no build, no load: `bri-kg load` fills it)")
    elif (current := current_build(settings)) is None or not current.store.is_dir():
        console.print("[yellow]No built store yet: building first.[/]", markup=True)
        build(full=False)
    console.print(f"Serving on http://{settings.host}:{settings.port}/ (SPARQL at /sparql)")
    log_config = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)  # the server's own lines (reloads, workers) too
    log_config["loggers"]["bri_kg"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info", log_config=log_config,
                access_log=access_log, proxy_headers=False, timeout_graceful_shutdown=5,
                http=http_protocol(settings.max_url_bytes))


@app.command()
def reload(
    wait: Annotated[float, typer.Option(help="Seconds to wait for every server to answer from the current build")] = 60,
) -> None:
    """Make the running servers switch to the current build now (each also notices by itself within
    BRI_KG_RELOAD_POLL_S). Sends SIGHUP to every server registered under BRI_KG_VAR_DIR/run, then waits
    until each holds the current build; exit 1 if one did not (its log says why: it keeps serving the old one)."""
    import os
    import signal
    import time

    from kg.build.lease import running_servers

    settings = get_settings()
    current = require_build(settings)
    servers = running_servers(settings.var_dir)
    if not servers:
        console.print(f"No running server is registered under {settings.var_dir / 'run'}: nothing to reload.")
        return
    for pid in servers:
        os.kill(pid, signal.SIGHUP)
    deadline = time.monotonic() + wait

    def behind() -> set[int]:
        return {pid for pid, (_, build) in running_servers(settings.var_dir).items() if build != current.root.name}

    while (late := behind()) and time.monotonic() < deadline:
        time.sleep(0.2)
    for pid, (url, _) in sorted(servers.items()):
        state = "still on the previous build (see its log)" if pid in late else f"serving {current.version()}"
        console.print(f"  {url} (pid {pid}): {state}", highlight=False)
    if late:
        raise typer.Exit(1)


@app.command()
def index(
    store: Annotated[Path | None, typer.Option(help="Store directory (default: the current build's)")] = None,
    out: Annotated[Path | None, typer.Option(help="Index file to write (default: beside the store)")] = None,
    id_base: Annotated[str | None, typer.Option(help="Entity IRI prefix (default: BRI_KG_BASE_IRI + id/)")] = None,
    exit_with_stdin: Annotated[bool, typer.Option(
        "--exit-with-stdin", hidden=True, help="Stop when stdin closes (a server that started this has ended)")]
        = False,
) -> None:
    """(Re)write the entity index (names, labels, entity graph) of a built store.

    `bri-kg build` writes it; this is for stores built otherwise (benchmarks) or by older versions."""
    import time

    if exit_with_stdin:
        _exit_when_stdin_closes()

    import pyoxigraph as ox

    from kg.index.writer import rows_from_store, write_index

    settings = get_settings()
    store = store or require_build(settings).store
    out = out or store.parent / INDEX_FILE
    started = time.perf_counter()
    base = id_base or settings.id_base
    write_index(out, rows_from_store(ox.Store.read_only(str(store)), base), base)
    console.print(f"Wrote {out} in {time.perf_counter() - started:.1f}s")


def _exit_when_stdin_closes() -> None:
    """A thread that ends the process once stdin reaches end of file: its parent has gone."""
    import os
    import threading

    def watch() -> None:  # the raw descriptor: a buffered reader's lock would abort the interpreter's exit
        while os.read(0, 4096):
            pass
        os._exit(3)

    threading.Thread(target=watch, daemon=True, name="parent-watch").start()


@app.command()
def synth(
    triples: Annotated[int, typer.Argument(help="Target number of distinct triples (10^4 .. 10^7)")],
    out: Annotated[Path, typer.Option("--out", "-o", help="N-Quads file to write")] = Path("var/synth/corpus.nq"),
    seed: Annotated[int, typer.Option(help="Same seed, same bytes")] = 0,
    violations: Annotated[int, typer.Option(help="Inject this many SHACL violations of known kinds")] = 0,
    data_root: Annotated[
        Path | None, typer.Option(help="Also write data/, ontology/, shapes/ there, for `bri-kg build`")] = None,
) -> None:
    """Generate a synthetic corpus in the ontology's terms (for benchmarks and scale tests).

    The generator is test and benchmark tooling (bench/synth in the source tree), not part of the
    installed package: this command runs it from a checkout, as ``python -m bench.synth`` does."""
    from kg.config import PROJECT_ROOT

    if (PROJECT_ROOT / "bench" / "synth" / "__init__.py").is_file() and str(PROJECT_ROOT) not in sys.path:
        sys.path.append(str(PROJECT_ROOT))   # an editable install: the checkout's bench/ sits beside kg/
    try:
        from bench.synth import generate
    except ModuleNotFoundError as exc:
        if exc.name not in ("bench", "bench.synth"):
            raise
        console.print("bri-kg synth needs the source tree: the synthetic-corpus generator (bench/synth) is "
                      "not part of the installed package. Run it from a checkout: python -m bench.synth N",
                      markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None

    result = generate(triples, out, seed=seed, violations=violations, data_root=data_root, progress=console.log)
    print(json.dumps(result.summary(), indent=1, default=str))
