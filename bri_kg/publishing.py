"""Commands for publishing data releases: release, diff."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from bri_kg.app import app, console, fail
from kg.config import get_settings
from kg.errors import BuildError


@app.command()
def release(
    version: Annotated[str | None, typer.Option(
        "--data-version", help="The data version YYYY.MM.N (default: the next one for this month)")] = None,
    date: Annotated[str | None, typer.Option(help="The release date YYYY-MM-DD (default: today, UTC)")] = None,
) -> None:
    """Release the current build: a dated, versioned copy kept beside earlier ones, with a changelog entry."""
    import datetime as dt

    from kg.publish.release import CHANGES_FILE, make_release

    settings = get_settings()
    try:
        day = dt.date.fromisoformat(date) if date else None
        made = make_release(settings, version, day)
    except ValueError as exc:
        fail(str(exc), 2)
    except BuildError as exc:
        fail(str(exc), 1)
    changes = made.path / CHANGES_FILE
    console.print(f"[green]Released {made.version}[/] ({made.date}) -> {made.path}", markup=True, highlight=False)
    if changes.is_file():
        print(changes.read_text(encoding="utf-8"))


@app.command()
def diff(
    old: Annotated[str, typer.Argument(help="A release version, `current`, a release/build folder or a .nq file")],
    new: Annotated[str, typer.Argument(help="The same, for the newer side")],
    patch_file: Annotated[Path | None, typer.Option(
        "--patch", help="Also write the N-Quads +/- patch (RDF) to this file ('-' for standard output)")] = None,
) -> None:
    """What changed between two releases or builds: entities added, removed, changed; statements added, removed."""
    from kg.publish.diff import DiffInputError, read_statements, summary
    from kg.publish.diff import diff as compute
    from kg.publish.diff import patch as as_patch
    from kg.publish.release import resolve_side

    settings = get_settings()
    try:
        (old_name, old_path), (new_name, new_path) = resolve_side(settings, old), resolve_side(settings, new)
        changes = compute(read_statements(old_path), read_statements(new_path), settings.id_base)
    except (FileNotFoundError, DiffInputError) as exc:
        fail(str(exc), 2)
    if patch_file is not None and str(patch_file) == "-":
        sys.stdout.write(as_patch(changes))
        return
    print(summary(changes, old_name, new_name, settings.id_base), end="")
    if patch_file is not None:
        patch_file.write_text(as_patch(changes), encoding="utf-8")
        console.print(f"wrote the patch to {patch_file}")
