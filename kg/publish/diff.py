"""``bri-kg diff OLD NEW``: what changed between two builds or releases, for a person and as RDF.

Both sides are read from their N-Quads dump (a release folder, a build folder, a ``dist/`` folder or
the file itself), so the diff is exact: statements are quads, compared as their N-Quads text (the
corpus mints no blank nodes). It reports

- statements added and removed, as an N-Quads patch: one statement per line, ``+ `` or ``- `` before
  it (strip the two characters and it is N-Quads again), removals first, each part sorted;
- entities added (typed only in NEW), removed (typed only in OLD) and changed (any statement about
  them, or about the evidence that quotes them, added or removed), with their labels.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.layout import DIST_DIR, NQUADS_DUMP
from kg.vocab.namespaces import RDF_TYPE, RDFS

Statement = tuple[str, str, str, str]  # subject, predicate, object, graph: N-Triples terms
LABEL = f"<{RDFS}label>"
TYPE = f"<{RDF_TYPE}>"


class DiffInputError(ValueError):
    """A side of the diff that is not a dump, or a folder holding one."""


def nquads_path(where: Path) -> Path:
    """The N-Quads dump of a release folder, a build folder, a dist folder, or the file itself."""
    for candidate in (where, where / NQUADS_DUMP, where / DIST_DIR / NQUADS_DUMP):
        if candidate.is_file():
            return candidate
    raise DiffInputError(f"{where}: no {NQUADS_DUMP} there (give a release, a build, its dist/ or the file)")


def read_statements(path: Path) -> set[Statement]:
    out: set[Statement] = set()
    for q in ox.parse(path=str(nquads_path(path)), format=ox.RdfFormat.N_QUADS):
        out.add((str(q.subject), str(q.predicate), str(q.object), str(q.graph_name)))
    return out


@dataclass
class Diff:
    added: list[Statement]
    removed: list[Statement]
    entities_added: list[str] = field(default_factory=list)
    entities_removed: list[str] = field(default_factory=list)
    entities_changed: dict[str, tuple[int, int]] = field(default_factory=dict)  # IRI -> (+, -)
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.added and not self.removed

    def label(self, iri: str) -> str:
        return self.labels.get(iri, iri.rsplit("/", 1)[-1])


def _entity_of(term: str, id_base: str) -> str | None:
    """The entity a subject is about: itself, or the entity an evidence IRI quotes
    (``{base}evidence/{document}/{folder}/{slug}/...``); None for anything else."""
    if not term.startswith("<" + id_base):
        return None
    rest = term[1 + len(id_base):-1]
    if rest.startswith("evidence/"):
        parts = rest.split("/")
        return f"<{id_base}{parts[2]}/{parts[3].split('#')[0]}>" if len(parts) >= 4 else None
    return term if not rest.startswith("document/") or "#" not in rest else None


def _typed(statements: set[Statement], id_base: str) -> set[str]:
    return {s for s, p, _, _ in statements
            if p == TYPE and s.startswith("<" + id_base) and not s.startswith(f"<{id_base}evidence/")}


def _labels(*sides: set[Statement]) -> dict[str, str]:
    labels: dict[str, str] = {}
    for side in sides:
        for s, p, o, _ in side:
            if p == LABEL and o.endswith("@en"):
                [parsed] = list(ox.parse(f"<x:s> <x:p> {o} .", format=ox.RdfFormat.N_TRIPLES))
                labels[s[1:-1]] = parsed.object.value
    return labels


def diff(old: set[Statement], new: set[Statement], id_base: str) -> Diff:
    """What turns *old* into *new*."""
    result = Diff(sorted(new - old), sorted(old - new))
    typed_old, typed_new = _typed(old, id_base), _typed(new, id_base)
    result.entities_added = sorted(t[1:-1] for t in typed_new - typed_old)
    result.entities_removed = sorted(t[1:-1] for t in typed_old - typed_new)
    changed: dict[str, list[int]] = {}
    for sign, statements in ((0, result.added), (1, result.removed)):
        for s, _, _, _ in statements:
            entity = _entity_of(s, id_base)
            if entity is None or entity in typed_new - typed_old or entity in typed_old - typed_new:
                continue
            changed.setdefault(entity[1:-1], [0, 0])[sign] += 1
    result.entities_changed = {k: (v[0], v[1]) for k, v in sorted(changed.items())}
    result.labels = _labels(old, new)
    return result


def patch(d: Diff) -> str:
    """The N-Quads +/- patch: removals, then additions, each statement on its own line."""
    lines = [f"- {s} {p} {o} {'' if g == 'DEFAULT' else g + ' '}." for s, p, o, g in d.removed]
    lines += [f"+ {s} {p} {o} {'' if g == 'DEFAULT' else g + ' '}." for s, p, o, g in d.added]
    return "".join(line.replace("  .", " .") + "\n" for line in lines)


def apply_patch(statements: set[Statement], text: str) -> set[Statement]:
    """*statements* with a patch applied (what a consumer of the patch does; the tests check it)."""
    out = set(statements)
    for line in text.splitlines():
        if not line:
            continue
        sign, quad_text = line[:2], line[2:]
        [q] = list(ox.parse(quad_text, format=ox.RdfFormat.N_QUADS))
        key = (str(q.subject), str(q.predicate), str(q.object), str(q.graph_name))
        if sign == "+ ":
            out.add(key)
        elif sign == "- ":
            out.discard(key)
        else:
            raise ValueError(f"not a patch line: {line[:60]!r}")
    return out


def summary(d: Diff, old_name: str, new_name: str, id_base: str) -> str:
    """The diff for a person: counts, then the entities added, removed and changed (Markdown)."""

    def short(iri: str) -> str:
        return iri[len(id_base):] if iri.startswith(id_base) else iri

    lines = [f"Changes from {old_name} to {new_name}: {len(d.added)} statements added, {len(d.removed)} removed; "
             f"{len(d.entities_added)} entities added, {len(d.entities_removed)} removed, "
             f"{len(d.entities_changed)} changed."]
    for title, iris in (("Added", d.entities_added), ("Removed", d.entities_removed)):
        if iris:
            lines += ["", f"{title}:"] + [f"- {d.label(i)} ({short(i)})" for i in iris]
    if d.entities_changed:
        lines += ["", "Changed:"] + [f"- {d.label(i)} ({short(i)}): +{plus} -{minus} statements"
                                     for i, (plus, minus) in d.entities_changed.items()]
    return "\n".join(lines) + "\n"
