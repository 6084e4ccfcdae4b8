"""The SPARQL 1.1 Service Description of the endpoint and its dataset (no blank nodes)."""

from __future__ import annotations

import pyoxigraph as ox

from kg.vocab.namespaces import DCTERMS, RDF, RDFS, VOID, XSD

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
SD_PREFIXES = {"sd": SD, "formats": FORMATS, "void": VOID, "dcterms": DCTERMS}
SD_RESULT_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "JSON-LD",
    "RDF_XML",
    "N-Quads",
    "TriG",
)


def service_description(endpoint: str, triples: int, graphs: list[str], federated: bool) -> list[ox.Triple]:
    """Describe the endpoint at *endpoint*: its features, result formats and dataset (*graphs*)."""
    service = ox.NamedNode(endpoint)
    dataset = ox.NamedNode(endpoint + "#dataset")
    default = ox.NamedNode(endpoint + "#default-graph")
    out: list[ox.Triple] = []

    def add(s: ox.NamedNode, p: str, o: ox.NamedNode | ox.Literal) -> None:
        out.append(ox.Triple(s, ox.NamedNode(p), o))

    def iri(value: str) -> ox.NamedNode:
        return ox.NamedNode(value)

    add(service, RDF + "type", iri(SD + "Service"))
    add(service, SD + "endpoint", service)
    add(service, SD + "supportedLanguage", iri(SD + "SPARQL11Query"))
    add(service, SD + "feature", iri(SD + "UnionDefaultGraph"))
    if federated:
        add(service, SD + "feature", iri(SD + "BasicFederatedQuery"))
    for name in SD_RESULT_FORMATS:
        add(service, SD + "resultFormat", iri(FORMATS + name))
    add(service, SD + "defaultEntailmentRegime", iri("http://www.w3.org/ns/entailment/Simple"))
    add(service, DCTERMS + "title", ox.Literal("BRI-KG SPARQL endpoint (read-only)", language="en"))
    add(service, SD + "defaultDataset", dataset)
    add(dataset, RDF + "type", iri(SD + "Dataset"))
    add(dataset, SD + "defaultGraph", default)
    add(default, RDF + "type", iri(SD + "Graph"))
    add(
        default,
        RDFS + "comment",
        ox.Literal("The union of all named graphs (one per source document, plus the ontology).", language="en"),
    )
    add(default, VOID + "triples", ox.Literal(str(triples), datatype=iri(XSD + "integer")))
    for graph in graphs:
        node = ox.NamedNode(f"{endpoint}#graph-{graph.rsplit('/', 1)[-1]}")
        add(dataset, SD + "namedGraph", node)
        add(node, RDF + "type", iri(SD + "NamedGraph"))
        add(node, SD + "name", iri(graph))
    return out
