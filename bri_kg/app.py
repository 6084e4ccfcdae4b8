"""The ``bri-kg`` application object and what its commands share: the console, failing with a message,
the current build, settings with flags applied. Commands live in modules by job (``operations``,
``curate``, ``publishing``) and register themselves on ``app``; ``bri_kg.cli`` imports them all."""

from __future__ import annotations

from typing import Annotated, NoReturn

import typer
from rich.console import Console

from kg.config import Settings, get_settings
from kg.layout import BuildLayout, current_build

app = typer.Typer(help="bri-kg: the Belt and Road STI cooperation knowledge graph.", no_args_is_help=True,
                  pretty_exceptions_enable=False)
console = Console(stderr=True)


def _print_version(wanted: bool) -> None:
    """``bri-kg --version``: the code's version, and the data the current build and release hold."""
    if not wanted:
        return
    from kg.build.pipeline import code_version
    from kg.publish.release import latest_release

    settings = get_settings()
    current = current_build(settings)
    latest = latest_release(settings)
    print(f"bri-kg {code_version()}")
    print(f"build: {current.version() if current else 'none (run `bri-kg build`)'}")
    print(f"data release: {latest.version if latest else 'none (run `bri-kg release`)'}")
    raise typer.Exit(0)


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_print_version, is_eager=True,
                                          help="Print the code, build and data-release versions and exit")] = False,
) -> None:
    """bri-kg: the Belt and Road STI cooperation knowledge graph."""


def require_build(settings: Settings) -> BuildLayout:
    """The current build, or exit 1 saying how to make one."""
    current = current_build(settings)
    if current is None:
        fail("No build yet: run `bri-kg build` first.", 1)
    return current


def fail(message: str, code: int) -> NoReturn:
    """Print *message* in red on stderr and exit with *code*."""
    console.print(f"[red]{message}[/]", markup=True, highlight=False)
    raise typer.Exit(code)


def settings_with(**overrides: object) -> Settings:
    """The settings, with CLI flags taking precedence over the environment."""
    base = get_settings()
    return base.model_copy(update={k: v for k, v in overrides.items() if v is not None})
