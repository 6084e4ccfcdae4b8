"""The incremental build: only what changed is mapped and checked again, and the result equals a full build.

From the current build it reuses the loaded annotations and VoID's figures (``STATE.pickle``), the
changed documents' old lines (found by binary search in its N-Quads dump), the union (its N-Triples
dump), the store (a RocksDB checkpoint: hard links), every dump (cut at block boundaries,
``kg.build.splice``) and the entity index. A document is mapped again if
its annotation file or source changed, or if it mentions an entity whose definition (type, preferred
label) changed; the checks run on the nodes the changed triples can affect (``kg.build.scope``). The
corpus-wide checks (definitions, slugs) run over the whole corpus as in a full build. With no usable
previous build, or a changed ontology, shapes or code, the caller runs a full build instead.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from kg.build.background import Background
from kg.build.corpus import map_documents
from kg.build.dumps import finish_dumps
from kg.build.failures import explained
from kg.build.publish import (
    BuildResult,
    Progress,
    _single_ttl,
    copy_sources,
    new_build_dir,
    prune_builds,
    switch_current,
)
from kg.build.reference import reference_documents
from kg.build.restat import update_stats
from kg.build.scope import nesting_predicates, owl_scope, shacl_focus, validate_scope
from kg.build.splice import (
    CompactDump,
    Data,
    Dump,
    Piece,
    block_of,
    graph_lines,
    has_line,
    splice_blocks,
    splice_jsonld,
    splice_nquads,
    splice_ntriples,
    subject_lines,
)
from kg.build.state import BuildState, definition_keys, file_digest
from kg.build.store import write_counts
from kg.check.stages import ReferenceData
from kg.config import Settings
from kg.errors import BuildError, DataProblem
from kg.index.writer import rows_from_triples, update_index
from kg.ingest.annotations import LoadedDocument, annotation_files, load_annotation_file
from kg.ingest.mapping import CorpusMapper, entity_iri, graph_iri
from kg.layout import (
    COMPACT_JSONLD,
    CONTEXT_FILE,
    DUMP_FILES,
    NQUADS_DUMP,
    NTRIPLES_DUMP,
    SOURCES_DIR,
    BuildLayout,
    current_build,
)
from kg.owl.ontology import OntologyIndex
from kg.owl.signatures import check_by_signature
from kg.publish.jsonld import Compactor, write_context
from kg.publish.jsonld import context as jsonld_context
from kg.shacl import load_shapes

DEFAULT = ox.DefaultGraph()


def reload(settings: Settings, state: BuildState) -> tuple[list[LoadedDocument], set[str]]:
    """The corpus, unchanged documents taken from *state*; and the paths of the documents read anew."""
    files = annotation_files(settings.data_dir / "annotations")
    corpus: list[LoadedDocument] = []
    changed: set[str] = set()
    problems: list[DataProblem] = []
    for path in files:
        cached = state.documents.get(str(path))
        if cached is not None and cached[0] == file_digest(path):
            doc = cached[1]
            source = settings.data_dir / doc.model.document.file
            if source.is_file() and file_digest(source) == doc.sha256:
                corpus.append(doc)
                continue
        try:
            corpus.append(load_annotation_file(path, settings.data_dir))
            changed.add(str(path))
        except BuildError as exc:
            problems.extend(exc.problems)
    if not files:
        problems.append(DataProblem(str(settings.data_dir / "annotations"), "folder",
                                    "no annotation files (*.yaml) found"))
    if problems:
        raise BuildError("loading annotations", problems)
    return corpus, changed


def _graph(doc: LoadedDocument) -> str:
    return str(graph_iri(doc.model.document.slug))


def _graphs_mentioning(nquads: Data, iris: set[str]) -> set[str]:
    """The graphs of the N-Quads dump with a line that has one of *iris* (N-Triples forms) as subject or object."""
    graphs = set()
    for iri in iris:
        needle = iri.encode()
        at = nquads.find(needle)
        while at >= 0:
            start = nquads.rfind(b"\n", 0, at) + 1
            end = nquads.find(b"\n", at)
            graphs.add(nquads[start:end].rsplit(b" ", 2)[1][1:-1].decode())
            at = nquads.find(needle, end)
    return graphs


def to_remap(after: dict[str, tuple], corpus: list[LoadedDocument], changed: set[str], state: BuildState,
             nquads: Data) -> list[int]:
    """Indexes of the documents to map again: changed ones, and those mentioning an entity whose
    definition changed (their rdf:type triples and reference checks read it). An entity no document
    defined before was mentioned by none: the previous build passed."""
    before = state.definitions
    moved = {f"<{entity_iri(k)}>" for k in before if before[k] != after.get(k)}
    dependent = _graphs_mentioning(nquads, moved) if moved else set()
    known = {_graph(doc) for _, doc in state.documents.values()}
    return [i for i, doc in enumerate(corpus)
            if str(doc.path) in changed or _graph(doc) not in known or _graph(doc) in dependent]


def _in_other_graphs(store: ox.Store, lines: list[str], skip: set[str]) -> set[str]:
    """Those of *lines* that a document graph of the previous store, other than *skip*, also holds."""
    if not lines:
        return set()
    quads = ox.parse(input="".join(line + " .\n" for line in lines).encode(), format=ox.RdfFormat.N_TRIPLES)
    found = set()
    for line, quad in zip(lines, quads, strict=True):
        for held in store.quads_for_pattern(quad.subject, quad.predicate, quad.object, None):
            name = held.graph_name
            if isinstance(name, ox.NamedNode) and name.value.startswith(str(graph_iri(""))) and name.value not in skip:
                found.add(line)
                break
    return found


@dataclass
class Change:
    """What changed: each changed graph's lines before and after, and the union's lines removed and added."""

    old: dict[str, list[str]]
    new: dict[str, list[str]]
    gone: set[str]
    added: set[str]

    @property
    def lines(self) -> list[str]:
        return sorted(self.gone | self.added)


def union_changes(previous: ox.Store, old: dict[str, list[str]], new: dict[str, list[str]],
                  ntriples: Data) -> Change:
    """The union's lines removed and added when the graphs of *old* become those of *new*."""
    gone: set[str] = set()
    came: set[str] = set()
    still: set[str] = set()
    for graph in old.keys() | new.keys():
        before, after = set(old.get(graph, ())), set(new.get(graph, ()))
        gone |= before - after
        came |= after - before
        still |= after
    gone -= still
    gone -= _in_other_graphs(previous, sorted(gone), set(old) | set(new))
    return Change(old, new, gone, {line for line in came if not has_line(ntriples, line)})


def update_store(previous: BuildLayout, target: Path, change: Change) -> ox.Store:
    """The previous store, checkpointed into *target* (hard links), with the changed graphs and the union
    in its default graph brought up to date."""
    ox.Store.read_only(str(previous.store)).backup(str(target))
    store = ox.Store(str(target))
    removals, additions = [], []
    for graph in sorted(change.old.keys() | change.new.keys()):
        before, after = set(change.old.get(graph, ())), set(change.new.get(graph, ()))
        removals += [(line, graph) for line in sorted(before - after)]
        additions += [(line, graph) for line in sorted(after - before)]
    removals += [(line, "") for line in sorted(change.gone)]
    additions += [(line, "") for line in sorted(change.added)]
    for changes, apply in ((removals, store.remove), (additions, store.add)):
        text = "".join(f"{line} <{g}> .\n" if g else f"{line} .\n" for line, g in changes)
        for quad in ox.parse(input=text.encode(), format=ox.RdfFormat.N_QUADS):
            apply(quad)
    store.flush()
    return store


def _check(store: ox.Store, changed: list[str], settings: Settings, ontology: Graph, state: BuildState,
           progress: Progress) -> frozenset:
    """SHACL and OWL on the nodes *changed* can affect; BuildError as a full build reports it."""
    shapes = load_shapes(settings.shapes_dir)
    nesting = nesting_predicates(shapes)
    assert nesting is not None  # checked before an incremental build is chosen
    focus = shacl_focus(store, changed, nesting)
    progress(f"Validating {len(focus)} affected nodes against the SHACL shapes")
    report = validate_scope(store, focus, shapes, nesting)
    if not report.conforms:
        raise BuildError("SHACL validation", [
            DataProblem("data/annotations", v.focus, f"{v.path or 'node'}: {v.message} [{v.component}]"
                        + (f" value={v.value}" if v.value else ""))
            for v in report.violations
        ])
    lines, only = owl_scope(store, changed, ontology)
    progress(f"Checking OWL consistency of {len(only)} affected nodes (signatures)")
    result = check_by_signature(lines, ontology, only=only, known=state.signatures)
    if not result.consistent:
        raise BuildError("OWL consistency", detail=result.message)
    return result.signatures


def _subjects_lines(ntriples: Data, change: Change) -> dict[str, list[str]]:
    """Each changed subject's lines in the new union."""
    out = {}
    for subject in {line.split(" ", 1)[0] for line in change.lines}:
        lines = set(subject_lines(ntriples, subject)) - change.gone
        lines |= {line for line in change.added if line.startswith(subject + " ")}
        out[subject] = sorted(lines)
    return out


def _write_dumps(previous: BuildLayout, dist: Path, change: Change, subjects: dict[str, list[str]]) -> None:
    """The previous dumps with the changed graphs, union lines and blocks replaced (kg.build.splice)."""
    dist.mkdir(parents=True, exist_ok=True)
    graphs = {g: change.new.get(g, []) for g in change.old.keys() | change.new.keys()}
    splicers: dict[str, Callable[[Data], list[Piece]]] = {
        "nquads": lambda data: splice_nquads(data, graphs),
        "ntriples": lambda data: splice_ntriples(data, change.gone, change.added),
        "turtle": lambda data: splice_blocks(
            data, {s: block_of(lines, None, ox.RdfFormat.TURTLE) for s, lines in subjects.items()}),
        "trig": lambda data: splice_blocks(
            data, {f"<{g}>": block_of(lines, g, ox.RdfFormat.TRIG) for g, lines in graphs.items()}),
        "jsonld": lambda data: splice_jsonld(data, graphs),
    }
    for dump in DUMP_FILES:
        old = Dump(previous.dist / dump.filename)
        try:
            old.write(dist / dump.filename, splicers[dump.format](old.data))
        finally:
            old.close()


def _write_compact(previous: BuildLayout, dist: Path, subjects: dict[str, list[str]], ontology_ttl: Path) -> None:
    """The compacted JSON-LD with the changed subjects' nodes re-written, and its context (the ontology
    is the previous build's: a changed one means a full build)."""
    ctx = jsonld_context(ontology_ttl)
    write_context(ctx, dist / CONTEXT_FILE)
    old = Dump(previous.dist / COMPACT_JSONLD)
    try:
        old.write(dist / COMPACT_JSONLD, CompactDump(old.data, Compactor(ctx)).splice(subjects))
    finally:
        old.close()


def _index(store: ox.Store, previous: BuildLayout, layout: BuildLayout, changed: list[str], id_base: str) -> None:
    subjects = {line.split(" ", 1)[0] for line in changed}
    triples = [q for s in sorted(subjects) for q in store.quads_for_pattern(ox.NamedNode(s[1:-1]), None, None, DEFAULT)]
    update_index(previous.index, layout.index, {s[1:-1] for s in subjects}, rows_from_triples(triples, id_base),
                 id_base)


def ontology_lines(ontology: Graph) -> set[str]:
    nt = ontology.serialize(format="nt", encoding="utf-8")
    return {f"{q.subject} {q.predicate} {q.object}" for q in ox.parse(input=nt, format=ox.RdfFormat.N_TRIPLES)}


def usable_state(settings: Settings, context: str) -> tuple[BuildLayout, BuildState] | None:
    """The current build and its state, if an incremental build can start from them."""
    previous = current_build(settings)
    if previous is None or not previous.index.is_file() or not previous.counts():
        return None
    state = BuildState.read(previous.state_file)
    if state is None or state.context != context or state.stats is None:
        return None
    if nesting_predicates(load_shapes(settings.shapes_dir)) is None:
        return None
    return previous, state


Lines = dict[str, list[str]]  # graph IRI -> its lines


def _map_changes(settings: Settings, previous: BuildLayout, state: BuildState, ontology: Graph,
                 progress: Progress) -> tuple[list[LoadedDocument], set[str], Lines, Lines]:
    """(corpus, paths read anew, old lines and new lines of every changed graph); BuildError on problems."""
    corpus, changed_paths = reload(settings, state)
    mapper = CorpusMapper(OntologyIndex(ontology))
    mapper.add_definitions(corpus)
    definitions = definition_keys(mapper)
    dump = Dump(previous.dist / NQUADS_DUMP)
    nquads = dump.data
    remap = to_remap(definitions, corpus, changed_paths, state, nquads)
    progress(f"Mapping {len(remap)} of {len(corpus)} documents to RDF")
    mapper.check_definitions()
    mapper._check_unique_slugs(corpus)  # noqa: SLF001 - the corpus-wide check a full build runs
    documents, problems = map_documents(mapper, corpus, remap, processes=1)
    if mapper.problems or problems:
        raise BuildError("mapping annotations to RDF", mapper.problems + problems)
    now = {_graph(doc) for doc in corpus}
    before = {_graph(doc) for _, doc in state.documents.values()}
    references = reference_documents(ReferenceData.load(settings), definitions, corpus)
    assert state.stats is not None
    removed = (before - now) | (set(state.stats.graph_sizes) - before - {d.graph for d in references})
    new = {d.graph: d.lines for d in documents + references}
    old = {g: graph_lines(nquads, g) for g in set(new) | removed}
    dump.close()
    new = {g: lines for g, lines in new.items() if lines != old.get(g)}
    old = {g: lines for g, lines in old.items() if g in new or g in removed}
    state.definitions = definitions  # for the state this build leaves
    return corpus, changed_paths, old, new


def incremental_build(settings: Settings, previous: BuildLayout, state: BuildState, ontology: Graph, version: str,
                      progress: Progress, started: float) -> BuildResult:
    """Build from *previous* and its *state*, mapping and checking only what changed (see the module)."""
    corpus, changed_paths, old, new = _map_changes(settings, previous, state, ontology, progress)
    union = Dump(previous.dist / NTRIPLES_DUMP)
    before = ox.Store.read_only(str(previous.store))
    change = union_changes(before, old, new, union.data)
    subjects = _subjects_lines(union.data, change)
    union.close()
    layout = BuildLayout(new_build_dir(settings, version))
    state_writer: Background | None = None
    try:
        progress("Updating the store")
        store = update_store(previous, layout.store, change)
        try:
            signatures = _check(store, change.lines, settings, ontology, state, progress)
        except BuildError as exc:
            progress("A check failed: checking again record by record to explain it")
            raise explained(settings, corpus, ontology, exc) from None
        progress("Splicing the dumps; VoID/DCAT and checksums")
        _write_dumps(previous, layout.dist, change, subjects)
        ontology_ttl = _single_ttl(settings.ontology_dir)
        _write_compact(previous, layout.dist, subjects, ontology_ttl)
        known = ontology_lines(ontology)
        assert state.stats is not None
        stats = update_stats(state.stats, change, before, store, subjects, known)
        copy_sources(settings.data_dir / SOURCES_DIR, layout.sources)
        counts = finish_dumps(stats, layout.dist, _single_ttl(settings.ontology_dir), _single_ttl(settings.shapes_dir),
                              version)
        triples = previous.counts()["triples"] + len(change.added - known) - len(change.gone - known)
        write_counts(layout, triples, triples + counts["quads"] + len(ontology))
        next_state = BuildState.of(state.context, [doc for doc in corpus if str(doc.path) in changed_paths])
        next_state.documents |= {str(d.path): state.documents[str(d.path)] for d in corpus
                                 if str(d.path) not in changed_paths}
        next_state.signatures = state.signatures | signatures
        next_state.stats = stats
        next_state.definitions = state.definitions
        # pickled by a forked child (it touches no store) while this process writes the index
        state_writer = Background("writing the build state", next_state.write, (layout.state_file,)).start()
        progress("Updating the entity index")
        _index(store, previous, layout, change.lines, settings.id_base)
        del store, before
        state_writer.join()
        layout.version_file.write_text(version + "\n", encoding="utf-8")
        switch_current(settings, layout.root)
    except BaseException:
        if state_writer is not None:
            state_writer.kill()
        shutil.rmtree(layout.root, ignore_errors=True)
        raise
    prune_builds(settings)
    return BuildResult(layout.root, version, counts, time.perf_counter() - started)
