"""A synthetic but realistic corpus at any size (10^4 to 10^7 triples), for benchmarks and scale tests.

Test and benchmark tooling, not part of the installed ``kg`` package: run it from a checkout,
``python -m bench.synth 100000 -o var/synth/corpus.nq`` (or ``bri-kg synth``), or import it.

Why synthetic: the curated corpus is a few thousand triples; the store, the API and validation must be
measured at 10^6 and beyond. Why realistic: timings depend on the shape of the data (how many labels,
how deep the evidence, how often an entity is re-mentioned), so the generator writes source texts and
annotation records in the ontology's own terms -- conference series and editions held in cities,
organizers, speakers with affiliations, declarations with numbered commitments, alliances, programs
with sub-programs, batches of joint laboratories, statistics -- and runs them through
:class:`kg.ingest.mapping.CorpusMapper`, so the RDF has exactly the shape a build produces (one named graph
per source document, an evidence node with a verbatim quote and its offsets for every record).

The modules, in the order of the data flow:

- :mod:`bench.synth.names` -- the name tables (``names.json``) and how names are spelled;
- :mod:`bench.synth.world` -- the seeded world: places, organizations, people, series, ids, slugs;
- :mod:`bench.synth.documents` -- a document being written, with its annotation records;
- :mod:`bench.synth.editions` -- what the documents about one conference edition say;
- :mod:`bench.synth.violations` -- known SHACL violations injected, with the expected results;
- :mod:`bench.synth.generate` -- the streamed N-Quads writer: :func:`generate`, :func:`corpus`.

It streams: every document refers only to entities defined in it or before it, so memory stays
bounded by the entity index, and generation stops as soon as the target number of distinct triples is
reached. The same seed gives byte-identical output; a larger target extends the smaller corpus of the
same seed. ``violations=N`` injects N defects of known kinds (see :data:`VIOLATION_KINDS`) into the
mapped triples and returns the exact SHACL results a validator must report for them.
"""

from bench.synth.generate import Progress, SynthResult, corpus, generate, iter_documents, nt_term
from bench.synth.names import slugify
from bench.synth.violations import VIOLATION_KINDS, ExpectedResult, InjectedViolation

__all__ = [
    "VIOLATION_KINDS",
    "ExpectedResult",
    "InjectedViolation",
    "Progress",
    "SynthResult",
    "corpus",
    "generate",
    "iter_documents",
    "nt_term",
    "slugify",
]
