"""The incremental build: only what changed is mapped and checked again, and the result equals a full build.

From the current build it reuses the loaded annotations (``STATE.pickle``), every document's lines (its
N-Quads dump), the union (its N-Triples dump), the store (a RocksDB checkpoint: hard links), the other
dumps (cut at block boundaries, ``kg.build.splice``) and the entity index. A document is mapped again if
its annotation file or source changed, or if it mentions an entity whose definition (type, preferred
label) changed; the checks run on the nodes the changed triples can affect (``kg.build.scope``). The
corpus-wide checks (definitions, slugs) run over the whole corpus as in a full build. With no usable
previous build, or a changed ontology, shapes or code, the caller runs a full build instead.
"""

from __future__ import annotations

import bisect
import shutil
import time
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from kg.build.corpus import MappedCorpus, MappedDocument, map_documents
from kg.build.dumps import finish_dumps, write_line_dumps
from kg.build.publish import BuildResult, Progress, _single_ttl, new_build_dir, prune_builds, switch_current
from kg.build.scope import nesting_predicates, owl_scope, shacl_focus, validate_scope
from kg.build.splice import read_graph_lines, read_union, splice_jsonld, splice_text
from kg.build.state import BuildState, file_digest
from kg.build.store import write_counts
from kg.config import Settings
from kg.errors import BuildError, DataProblem
from kg.index.writer import rows_from_triples, update_index
from kg.ingest.annotations import LoadedDocument, load_annotation_file
from kg.ingest.mapping import CorpusMapper, entity_iri, graph_iri
from kg.layout import NQUADS_DUMP, NTRIPLES_DUMP, BuildLayout, current_build
from kg.owl.ontology import OntologyIndex
from kg.owl.signatures import check_by_signature
from kg.shacl import load_shapes

DEFAULT = ox.DefaultGraph()


def reload(settings: Settings, state: BuildState) -> tuple[list[LoadedDocument], set[str]]:
    """The corpus, unchanged documents taken from *state*; and the paths of the documents read anew."""
    files = sorted((settings.data_dir / "annotations").glob("*.yaml"))
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


def _definition_keys(ontology: OntologyIndex, corpus: list[LoadedDocument]) -> dict[str, tuple]:
    """Per entity id, what other documents' mapping reads of its definition: its types and labels."""
    mapper = CorpusMapper(ontology)
    mapper.add_definitions(corpus)
    return {k: (sorted(d.types), sorted(d.labels)) for k, d in mapper.definitions.items()}


def _graph(doc: LoadedDocument) -> str:
    return str(graph_iri(doc.model.document.slug))


def to_remap(ontology: OntologyIndex, corpus: list[LoadedDocument], changed: set[str], state: BuildState,
             old_graphs: dict[str, list[str]]) -> list[int]:
    """Indexes of the documents to map again: changed ones, and those mentioning an entity whose
    definition changed (their rdf:type triples and reference checks read it)."""
    old_corpus = [doc for _, doc in state.documents.values()]
    before, after = _definition_keys(ontology, old_corpus), _definition_keys(ontology, corpus)
    moved = {f"<{entity_iri(k)}>" for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    remap = []
    for index, doc in enumerate(corpus):
        fresh = str(doc.path) in changed or _graph(doc) not in old_graphs
        if fresh or (moved and any(t in moved for line in old_graphs[_graph(doc)] for t in line.split(" ", 2)[::2])):
            remap.append(index)
    return remap


def _in_other_graphs(store: ox.Store, lines: list[str], skip: set[str]) -> set[str]:
    """Those of *lines* that a graph of the previous store, other than *skip*, also holds."""
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


def union_changes(previous: ox.Store, old: dict[str, list[str]], new: dict[str, list[str]], graphs: set[str],
                  old_union: list[str]) -> tuple[list[str], set[str], set[str]]:
    """(the new union, its lines removed, its lines added) after the *graphs* changed from *old* to *new*."""
    gone: set[str] = set()
    came: set[str] = set()
    still: set[str] = set()
    for graph in graphs:
        before, after = set(old.get(graph, ())), set(new.get(graph, ()))
        gone |= before - after
        came |= after - before
        still |= after
    gone -= still
    gone -= _in_other_graphs(previous, sorted(gone), graphs)

    def present(line: str) -> bool:
        at = bisect.bisect_left(old_union, line)
        return at < len(old_union) and old_union[at] == line

    added = {line for line in came if not present(line)}
    kept = [line for line in old_union if line not in gone] if gone else list(old_union)
    return sorted(kept + sorted(added)), gone, added


def _subject_lines(union: list[str], subject: str) -> list[str]:
    start = bisect.bisect_left(union, subject + " ")
    end = start
    while end < len(union) and union[end].startswith(subject + " "):
        end += 1
    return union[start:end]


def update_store(previous: BuildLayout, target: Path, old: dict[str, list[str]], new: dict[str, list[str]],
                 graphs: set[str], gone: set[str], added: set[str]) -> ox.Store:
    """The previous store, checkpointed into *target* (hard links), with the changed graphs and the union
    in its default graph brought up to date."""
    ox.Store.read_only(str(previous.store)).backup(str(target))
    store = ox.Store(str(target))
    removals, additions = [], []
    for graph in sorted(graphs):
        before, after = set(old.get(graph, ())), set(new.get(graph, ()))
        removals += [(line, graph) for line in sorted(before - after)]
        additions += [(line, graph) for line in sorted(after - before)]
    removals += [(line, "") for line in sorted(gone)]
    additions += [(line, "") for line in sorted(added)]
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


def _write_dumps(previous: BuildLayout, layout: BuildLayout, mapped: MappedCorpus, graphs: set[str],
                 changed: list[str], settings: Settings, version: str) -> dict[str, int]:
    """The dumps of *mapped*: line dumps written, the others spliced from the previous build's."""
    write_line_dumps(mapped, layout.dist)
    by_graph = {d.graph: d.lines for d in mapped.documents}
    subjects = {line.split(" ", 1)[0] for line in changed}
    turtle = {s: _subject_lines(mapped.union, s) for s in subjects}
    splice_text(previous.dist / "bri-kg.ttl", layout.dist / "bri-kg.ttl", turtle, graphs=False)
    per_graph = {f"<{g}>": by_graph.get(g, []) for g in graphs}
    splice_text(previous.dist / "bri-kg.trig", layout.dist / "bri-kg.trig", per_graph, graphs=True)
    splice_jsonld(previous.dist / "bri-kg.jsonld", layout.dist / "bri-kg.jsonld", per_graph)
    return finish_dumps(mapped, layout.dist, _single_ttl(settings.ontology_dir), _single_ttl(settings.shapes_dir),
                        version)


def _index(store: ox.Store, previous: BuildLayout, layout: BuildLayout, changed: list[str], id_base: str) -> None:
    subjects = {line.split(" ", 1)[0] for line in changed}
    triples = [q for s in sorted(subjects) for q in store.quads_for_pattern(ox.NamedNode(s[1:-1]), None, None, DEFAULT)]
    update_index(previous.index, layout.index, {s[1:-1] for s in subjects}, rows_from_triples(triples, id_base),
                 id_base)


def _counts(previous: BuildLayout, ontology: Graph, gone: set[str], added: set[str], quads: int) -> tuple[int, int]:
    """(triples of the default graph, quads of the store), from the previous build's and the changes."""
    nt = ontology.serialize(format="nt", encoding="utf-8")
    known = {f"{q.subject} {q.predicate} {q.object}" for q in ox.parse(input=nt, format=ox.RdfFormat.N_TRIPLES)}
    triples = previous.counts()["triples"] + len(added - known) - len(gone - known)
    return triples, triples + quads + len(ontology)


def usable_state(settings: Settings, context: str) -> tuple[BuildLayout, BuildState] | None:
    """The current build and its state, if an incremental build can start from them."""
    previous = current_build(settings)
    if previous is None or not previous.index.is_file() or not previous.counts():
        return None
    state = BuildState.read(previous.state_file)
    if state is None or state.context != context or nesting_predicates(load_shapes(settings.shapes_dir)) is None:
        return None
    return previous, state


def incremental_build(settings: Settings, previous: BuildLayout, state: BuildState, ontology: Graph, version: str,
                      progress: Progress, started: float) -> BuildResult:
    """Build from *previous* and its *state*, mapping and checking only what changed (see the module)."""
    corpus, changed_paths = reload(settings, state)
    index = OntologyIndex(ontology)
    old_graphs = read_graph_lines(previous.dist / NQUADS_DUMP)
    remap = to_remap(index, corpus, changed_paths, state, old_graphs)
    progress(f"Mapping {len(remap)} of {len(corpus)} documents to RDF")
    mapper = CorpusMapper(index)
    mapper.add_definitions(corpus)
    mapper.check_definitions()
    mapper._check_unique_slugs(corpus)  # noqa: SLF001 - the corpus-wide check a full build runs
    documents, problems = map_documents(mapper, corpus, remap, processes=1)
    if mapper.problems or problems:
        raise BuildError("mapping annotations to RDF", mapper.problems + problems)
    new_graphs = {_graph(doc): old_graphs.get(_graph(doc), []) for doc in corpus}
    new_graphs.update({d.graph: d.lines for d in documents})
    graphs = {g for g in old_graphs.keys() | new_graphs.keys() if old_graphs.get(g) != new_graphs.get(g)}
    mapped = MappedCorpus([MappedDocument(g, lines) for g, lines in new_graphs.items()])
    old_store = ox.Store.read_only(str(previous.store))
    old_union = read_union(previous.dist / NTRIPLES_DUMP)
    union, gone, added = union_changes(old_store, old_graphs, new_graphs, graphs, old_union)
    del old_store
    mapped.__dict__["union"] = union  # the cached property, computed from the previous union
    changed = sorted(gone | added)
    layout = BuildLayout(new_build_dir(settings, version))
    try:
        progress("Updating the store")
        store = update_store(previous, layout.store, old_graphs, new_graphs, graphs, gone, added)
        signatures = _check(store, changed, settings, ontology, state, progress)
        progress("Splicing the dumps; VoID/DCAT and checksums")
        counts = _write_dumps(previous, layout, mapped, graphs, changed, settings, version)
        progress("Updating the entity index")
        _index(store, previous, layout, changed, settings.id_base)
        del store
        write_counts(layout, *_counts(previous, ontology, gone, added, counts["quads"]))
        next_state = BuildState.of(state.context, [doc for doc in corpus if str(doc.path) in changed_paths])
        next_state.documents |= {str(d.path): state.documents[str(d.path)] for d in corpus
                                 if str(d.path) not in changed_paths}
        next_state.signatures = state.signatures | signatures
        next_state.write(layout.state_file)
        layout.version_file.write_text(version + "\n", encoding="utf-8")
        switch_current(settings, layout.root)
    except BaseException:
        shutil.rmtree(layout.root, ignore_errors=True)
        raise
    prune_builds(settings)
    return BuildResult(layout.root, version, counts, time.perf_counter() - started)
