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
from dataclasses import dataclass, field
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


class Inference(_Strict):
    """A value the source implies rather than states: why it holds and what it rests on, so a reader
    can tell a stated fact from a curator's conclusion."""

    reasoning: str = Field(min_length=10)
    basis: list[EntityId] = Field(default_factory=list)  # entity ids or document/<slug> it rests on


class QuotedValue(_Strict):
    """A fact value with the passage that states it (or, if ``inferred``, the passage it starts from)."""

    value: Scalar
    quote: Quote
    inferred: Inference | None = None


FactValue = Scalar | QuotedValue


class DocumentHeader(_Strict):
    """What the annotation file says about its source document."""

    slug: Slug
    file: str
    title: str
    kind: str = "NewsArticle"
    issued: dt.date | QuotedValue | None = None
    publisher: EntityId | None = None
    creators: list[EntityId] = Field(default_factory=list)
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None
    retrieved: dt.date | None = None
    language: str = "en"
    quote: Quote | None = None
    not_content: list[NotContent] = Field(default_factory=list)
    review: str | None = None  # a curator's to-do left by `bri-kg draft`; the build ignores it

    @property
    def issued_date(self) -> dt.date | None:
        value = self.issued.value if isinstance(self.issued, QuotedValue) else self.issued
        return value if isinstance(value, dt.date) else None


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
    review: str | None = None  # an uncertain choice for the curator to settle; the build ignores it
    replaced_by: EntityId | None = None  # merged into / renamed to this entity: the IRI redirects there

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
class SourceLines:
    """Where things stand in an annotation file (1-based lines), so every problem can point at its line."""

    header: int = 0
    records: tuple[int, ...] = ()
    facts: dict[tuple[int, str], int] = field(default_factory=dict)  # (record index, property) -> line

    def record(self, index: int) -> int | None:
        return self.records[index] if 0 <= index < len(self.records) else None

    def fact(self, index: int, prop: str) -> int | None:
        return self.facts.get((index, prop)) or self.record(index)


@dataclass(frozen=True)
class LoadedDocument:
    """An annotation file together with its path and the exact text of its source document."""

    path: Path
    model: AnnotationFile
    text: str
    sha256: str
    lines: SourceLines = field(default_factory=SourceLines)

    @property
    def name(self) -> str:
        return self.path.name

    def record_line(self, index: int) -> int | None:
        return self.lines.record(index)


def _record_name(raw: Any, loc: tuple[Any, ...]) -> str:
    """Name the record a pydantic error location points into, by index and id where known."""
    if len(loc) >= 2 and loc[0] == "entities" and isinstance(loc[1], int):
        try:
            ident = raw["entities"][loc[1]].get("id", "?")
        except (KeyError, IndexError, TypeError, AttributeError):
            ident = "?"
        return f"entities[{loc[1]}] (id: {ident})"
    return str(loc[0]) if loc else "file"


def _problems_from_validation(file: str, raw: Any, error: ValidationError,
                              lines: SourceLines | None = None) -> list[DataProblem]:
    problems = []
    for err in error.errors():
        loc = tuple(err["loc"])
        name = ".".join(str(part) for part in loc[2:] if not re.fullmatch(r"[A-Za-z]+\[.*\]|function-.*", str(part)))
        where = _record_name(raw, loc)
        msg = f"{name or '.'.join(map(str, loc))}: {err['msg']}"
        line = None
        if lines is not None:
            if len(loc) >= 2 and loc[0] == "entities" and isinstance(loc[1], int):
                line = lines.fact(loc[1], str(loc[3])) if len(loc) >= 4 and loc[2] == "facts" else lines.record(loc[1])
            elif loc and loc[0] == "document":
                line = lines.header or None
        problems.append(DataProblem(file, where, msg, "see docs/annotations.md for the expected shape", line=line))
    return problems


def _refuse_aliases(root: yaml.Node) -> None:
    """An annotation file has no use for anchors and aliases (``*name``), and a few nested aliases
    ("billion laughs") expand into more values than any check can walk through: a composed node
    reached twice is an alias. Iterative, so a deeply nested file cannot exhaust the stack here."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed in annotation files: "
                                              "write the value out", node.start_mark)
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            stack.extend(v for pair in node.value for v in pair)


def parse_yaml(text: str) -> tuple[Any, SourceLines]:
    """Parse YAML once (the C loader where it is installed), refusing aliases, keeping the line of the
    header, of every entity record and of its facts."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            _refuse_aliases(node)
        raw = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return raw, _lines_of(node)


def _child(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return v
    return None


def _lines_of(root: yaml.Node | None) -> SourceLines:
    header = _child(root, "document")
    entities = _child(root, "entities")
    records: list[int] = []
    facts: dict[tuple[int, str], int] = {}
    if isinstance(entities, yaml.SequenceNode):
        for index, item in enumerate(entities.value):
            records.append(item.start_mark.line + 1)
            fact_map = _child(item, "facts")
            if isinstance(fact_map, yaml.MappingNode):
                for k, _ in fact_map.value:
                    facts[(index, str(k.value))] = k.start_mark.line + 1
    return SourceLines(header.start_mark.line if header is not None else 0, tuple(records), facts)


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


def load_annotation_file(path: Path, data_dir: Path) -> LoadedDocument:
    """Parse and shape-check one annotation file and read its source document."""
    name = str(path.relative_to(data_dir.parent)) if path.is_relative_to(data_dir.parent) else str(path)
    _, text = read_text(path, name, "the annotation file")
    try:
        raw, lines = parse_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise BuildError("loading annotations", [DataProblem(
            name, "file", f"not valid YAML: {getattr(exc, 'problem', None) or exc}",
            "fix the indentation or quoting at that line (a value with ': ' or a leading quote needs quotes)",
            line=line)]) from exc
    except RecursionError:
        raise BuildError("loading annotations", [DataProblem(
            name, "file", "not valid YAML: nested too deeply", "an annotation file needs a few levels only")]) from None
    if raw is None:
        raise BuildError("loading annotations", [DataProblem(
            name, "file", "the file is empty", "see docs/annotations.md for the expected shape")])
    try:
        model = AnnotationFile.model_validate(raw)
    except ValidationError as exc:
        raise BuildError("loading annotations", _problems_from_validation(name, raw, exc, lines)) from exc
    source = data_dir / model.document.file
    if not source.is_file():
        raise BuildError(
            "loading annotations",
            [DataProblem(name, "document.file", f"source document {source} does not exist",
                         "copy the article unchanged into data/sources/ and give its path relative to data/")],
        )
    raw_bytes, source_text = read_text(source, name, f"its source document {model.document.file}")
    return LoadedDocument(path, model, source_text, hashlib.sha256(raw_bytes).hexdigest(), lines)


QUESTIONS_SUFFIX = ".questions.yaml"  # a document's own competency questions, kept beside its annotation


def annotation_files(folder: Path) -> list[Path]:
    """The annotation files of *folder* (``SLUG.questions.yaml`` files hold questions, not annotations)."""
    return sorted(p for p in folder.glob("*.yaml") if not p.name.endswith(QUESTIONS_SUFFIX))


def load_corpus(data_dir: Path) -> list[LoadedDocument]:
    """Load every annotation file under ``data_dir/annotations``, reporting all broken files at once."""
    files = annotation_files(data_dir / "annotations")
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
