"""A failed check explained as a curator needs it: the file, the record, the fact and the fix.

The build's own checks are made for speed (SHACL on an in-memory store, OWL consistency by
signatures, ``kg.build.incremental`` on the affected nodes only); when one fails, the corpus is
checked again the way ``bri-kg check`` checks it (``kg.check.stages``: SHACL explained record by
record, HermiT with the clashing facts found), which costs a full check but only on failure.
"""

from __future__ import annotations

from rdflib import Graph

from kg.check.stages import ReferenceData, check_documents
from kg.config import Settings
from kg.errors import BuildError
from kg.ingest.annotations import LoadedDocument
from kg.shacl import load_shapes


def explained(settings: Settings, corpus: list[LoadedDocument], ontology: Graph, found: BuildError) -> BuildError:
    """The explained form of *found* (a failure of the build's fast checks); *found* itself if the
    thorough checks pass (they agree on the corpus and on every kind of contradiction tested)."""
    try:
        check_documents(corpus, ontology, load_shapes(settings.shapes_dir), reference=ReferenceData.load(settings))
    except BuildError as exc:
        return exc
    return found
