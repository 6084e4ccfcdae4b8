"""Write the vocabulary modules from the ontology: ``python -m kg.vocab.generate``.

The terms of ``bri:`` are the IRIs under the namespace that ``ontology/bri.ttl`` says anything
about. Two modules come out of one list, so neither can drift from the ontology (a test fails if
either differs from what this writes): ``kg/vocab/terms.py``, plain strings for the API
(``terms.Conference``), and ``kg/vocab/bri.py``, a closed rdflib namespace for the build
(``BRI.Conference``). A mistyped term fails at first use, and under mypy before that.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox

from kg.vocab.namespaces import BRI as NS

HERE = Path(__file__).resolve().parent
ONTOLOGY = HERE.parents[1] / "ontology" / "bri.ttl"
HEADER = '"""GENERATED from ontology/bri.ttl by `python -m kg.vocab.generate`: do not edit by hand."""\n'


def ontology_terms(path: Path = ONTOLOGY) -> list[str]:
    """Local names of every IRI under the bri: namespace that the ontology describes, sorted."""
    names = {
        q.subject.value[len(NS):]
        for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
        if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(NS) and len(q.subject.value) > len(NS)
    }
    return sorted(names, key=lambda n: (n[0].islower(), n))


def terms_module(names: list[str]) -> str:
    lines = [HEADER, "from typing import Final\n", "from kg.vocab.namespaces import BRI as NS\n"]
    lines += [f'{name}: Final = NS + "{name}"' for name in names]
    return "\n".join(lines) + "\n"


def rdflib_module(names: list[str]) -> str:
    lines = [
        HEADER,
        "from rdflib.namespace import DefinedNamespace, Namespace",
        "from rdflib.term import URIRef\n",
        "from kg.vocab import namespaces\n\n",
        "class BRI(DefinedNamespace):",
        '    """Terms of https://w3id.org/bri-kg/ontology# (closed: an unknown term raises AttributeError)."""\n',
        "    _NS = Namespace(namespaces.BRI)",
        "    _fail = True\n",
    ]
    lines += [f"    {name}: URIRef" for name in names]
    return "\n".join(lines) + "\n"


def outputs() -> dict[Path, str]:
    names = ontology_terms()
    return {HERE / "terms.py": terms_module(names), HERE / "bri.py": rdflib_module(names)}


def main() -> int:
    for path, text in outputs().items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(HERE.parents[1])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
