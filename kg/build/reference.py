"""The graphs a build adds beside the documents' own: the gazetteer's, the names files' and the dataset
graph (licence, provenance, the documents it is derived from), as N-Triples lines like a document's.

They are made from the corpus's definitions (which entity ids some document types) and its documents'
IRIs, not from its triples, so a full build and an incremental one make them alike and cheaply.
"""

from __future__ import annotations

from rdflib import Dataset, URIRef

from kg.build.corpus import MappedDocument
from kg.build.ntriples import DocumentSink
from kg.check.stages import ReferenceData
from kg.ingest.annotations import LoadedDocument
from kg.ingest.gazetteer import add_gazetteer
from kg.ingest.mapping import document_iri, entity_iri
from kg.ingest.names import add_names
from kg.publish.dcat import add_dataset_graph

Definitions = dict[str, tuple]  # entity id -> (its types, its labels): kg.build.state.definition_keys


def reference_documents(reference: ReferenceData, definitions: Definitions,
                        corpus: list[LoadedDocument]) -> list[MappedDocument]:
    """The reference graphs for *corpus*; BuildError (file, entry, fix) for an entry no document defines."""
    typed = {entity_iri(key) for key, (types, _) in definitions.items() if types}
    dataset = Dataset()
    if reference.gazetteer is not None:
        add_gazetteer(dataset, reference.gazetteer, reference.id_base, typed)
    add_names(dataset, reference.names, reference.id_base, typed)
    add_dataset_graph(dataset, {str(document_iri(doc.model.document.slug)) for doc in corpus})
    documents = []
    for graph in dataset.graphs():
        if not isinstance(graph.identifier, URIRef) or len(graph) == 0:
            continue
        sink = DocumentSink()
        for triple in graph:
            sink.add(triple)  # type: ignore[arg-type]
        documents.append(MappedDocument(str(graph.identifier), sink.sorted_lines()))
    return documents
