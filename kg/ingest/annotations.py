"""Curated annotation files (``data/annotations/*.yaml``): their schema and loading.

The format is documented in docs/annotations.md. Loading checks the *shape* of each file;
meaning (ids, properties, quotes) is checked when the file is mapped to RDF (kg.ingest.mapping).
A file that is not UTF-8, too big, not YAML, empty, or uses YAML aliases is a problem naming the
file and the fix, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from kg.errors import BuildError, DataProblem

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
ENTITY_ID_PATTERN = r"^[a-z]+(?:-[a-z]+)*/[a-z0-9]+(?:-[a-z0-9]+)*$"
MAX_TEXT_BYTES = 64 << 20  # an annotation file or a source document

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
EntityId = Annotated[str, StringConstraints(pattern=ENTITY_ID_PATTERN)]
Quote = Annotated[str, StringConstraints(min_length=3)]
Scalar = str | bool | int | float | dt.date


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NotContent(_Strict):
    """A passage of web-page debris the curator chose not to annotate, and why."""

    text: str
    reason: str


class DocumentHeader(_Strict):
    """What the annotation file says about its source document."""

    slug: Slug
    file: str
    title: str
    kind: str = "NewsArticle"
    issued: dt.date | None = None
    publisher: EntityId | None = None
    creators: list[EntityId] = Field(default_factory=list)
    language: str = "en"
    quote: Quote | None = None
    not_content: list[NotContent] = Field(default_factory=list)


class QuotedValue(_Strict):
    """A fact value with the passage that states it."""

    value: Scalar
    quote: Quote


FactValue = Scalar | QuotedValue


class EntityRecord(_Strict):
    """One entity (or relation node) as one document states it."""

    id: EntityId
    type: str | None = None
    label: str | None = None
    alt: list[str] = Field(default_factory=list)
    description: str | None = None
    quote: Quote | None = None
    quotes: list[Quote] = Field(default_factory=list)
    facts: dict[str, FactValue | list[FactValue]] = Field(default_factory=dict)

    @property
    def all_quotes(self) -> list[str]:
        return ([self.quote] if self.quote else []) + list(self.quotes)

    @property
    def folder(self) -> str:
        return self.id.split("/", 1)[0]


class AnnotationFile(_Strict):
    document: DocumentHeader
    entities: list[EntityRecord]


@dataclass(frozen=True)
class LoadedDocument:
    """An annotation file together with its path and the exact text of its source document."""

    path: Path
    model: AnnotationFile
    text: str
    sha256: str

    @property
    def name(self) -> str:
        return self.path.name


def _record_name(raw: Any, loc: tuple[Any, ...]) -> str:
    """Name the record a pydantic error location points into, by index and id where known."""
    if len(loc) >= 2 and loc[0] == "entities" and isinstance(loc[1], int):
        try:
            ident = raw["entities"][loc[1]].get("id", "?")
        except (KeyError, IndexError, TypeError, AttributeError):
            ident = "?"
        return f"entities[{loc[1]}] (id: {ident})"
    return str(loc[0]) if loc else "file"


def _problems_from_validation(file: str, raw: Any, error: ValidationError) -> list[DataProblem]:
    problems = []
    for err in error.errors():
        loc = tuple(err["loc"])
        field = ".".join(str(part) for part in loc[2:] if not re.fullmatch(r"[A-Za-z]+\[.*\]|function-.*", str(part)))
        where = _record_name(raw, loc)
        msg = f"{field or '.'.join(map(str, loc))}: {err['msg']}"
        problems.append(DataProblem(file, where, msg, "see docs/annotations.md for the expected shape"))
    return problems


class _Loader(yaml.SafeLoader):
    """YAML's safe loader without anchors and aliases: an annotation file has no use for them, and a
    few nested aliases ('billion laughs') expand into more values than any check can walk through."""

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed in annotation files: "
                                              "write the value out", event.start_mark)
        return super().compose_node(parent, index)  # type: ignore[arg-type]


def read_text(path: Path, name: str, what: str) -> tuple[bytes, str]:
    """The bytes and the UTF-8 text of *path*; problems (too big, not UTF-8) as a ``BuildError`` naming the fix."""
    def fail(problem: str, fix: str) -> BuildError:
        return BuildError("loading annotations", [DataProblem(name, "file", problem, fix)])

    if path.stat().st_size > MAX_TEXT_BYTES:
        raise fail(f"{what} is {path.stat().st_size:,} bytes, over the {MAX_TEXT_BYTES:,}-byte limit",
                   "split the document into several")
    raw = path.read_bytes()
    try:
        return raw, raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise fail(f"{what} is not UTF-8 text: byte 0x{raw[exc.start]:02x} at line {line}, column {column} "
                   f"cannot be decoded ({exc.reason})",
                   "save it as UTF-8, e.g. `iconv -f GB18030 -t UTF-8 FILE > FILE.utf8` (give its real encoding), "
                   "or remove binary content") from None


def _parse_yaml(text: str, name: str) -> Any:
    def fail(problem: str, fix: str = "") -> BuildError:
        return BuildError("loading annotations", [DataProblem(name, "file", problem, fix)])

    try:
        raw = yaml.load(text, Loader=_Loader)  # a safe loader, without aliases
    except yaml.YAMLError as exc:
        raise fail(f"not valid YAML: {exc}") from None
    except RecursionError:
        raise fail("not valid YAML: nested too deeply", "an annotation file needs a few levels only") from None
    if raw is None:
        raise fail("the file is empty", "see docs/annotations.md for the expected shape")
    return raw


def load_annotation_file(path: Path, data_dir: Path) -> LoadedDocument:
    """Parse and shape-check one annotation file and read its source document."""
    name = str(path.relative_to(data_dir.parent)) if path.is_relative_to(data_dir.parent) else str(path)
    _, text = read_text(path, name, "the annotation file")
    raw = _parse_yaml(text, name)
    try:
        model = AnnotationFile.model_validate(raw)
    except ValidationError as exc:
        raise BuildError("loading annotations", _problems_from_validation(name, raw, exc)) from exc
    source = data_dir / model.document.file
    if not source.is_file():
        raise BuildError(
            "loading annotations",
            [DataProblem(name, "document.file", f"source document {source} does not exist",
                         "copy the article unchanged into data/sources/ and give its path relative to data/")],
        )
    raw_bytes, source_text = read_text(source, name, f"its source document {model.document.file}")
    return LoadedDocument(path, model, source_text, hashlib.sha256(raw_bytes).hexdigest())


def load_corpus(data_dir: Path) -> list[LoadedDocument]:
    """Load every annotation file under ``data_dir/annotations``, reporting all broken files at once."""
    files = sorted((data_dir / "annotations").glob("*.yaml"))
    loaded: list[LoadedDocument] = []
    problems: list[DataProblem] = []
    for path in files:
        try:
            loaded.append(load_annotation_file(path, data_dir))
        except BuildError as exc:
            problems.extend(exc.problems)
    if not files:
        problems.append(DataProblem(str(data_dir / "annotations"), "folder", "no annotation files (*.yaml) found"))
    if problems:
        raise BuildError("loading annotations", problems)
    return loaded
