"""The bri: namespace as a closed rdflib namespace: a mistyped term fails at import or first use.

Kept in step with ontology/bri.ttl by tests/kg/test_vocab.py: add a term there and here together."""

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef


class BRI(DefinedNamespace):
    """Terms of https://w3id.org/bri-kg/ontology#."""

    _NS = Namespace("https://w3id.org/bri-kg/ontology#")
    _fail = True

    ActionPlan: URIRef
    AdministrativeArea: URIRef
    Affiliation: URIRef
    Agent: URIRef
    Alliance: URIRef
    Approximately: URIRef
    AtLeast: URIRef
    City: URIRef
    Commitment: URIRef
    Conference: URIRef
    ConferenceSeries: URIRef
    Country: URIRef
    Declaration: URIRef
    Evidence: URIRef
    Exactly: URIRef
    Initiative: URIRef
    JointLab: URIRef
    JointLabBatch: URIRef
    MoreThan: URIRef
    Organization: URIRef
    Participation: URIRef
    Person: URIRef
    Place: URIRef
    PolicyDocument: URIRef
    Program: URIRef
    Province: URIRef
    Qualifier: URIRef
    QualifierScheme: URIRef
    Region: URIRef
    Report: URIRef
    Role: URIRef
    RoleScheme: URIRef
    SourceDocument: URIRef
    Statistic: URIRef
    TechnologyTransferCenter: URIRef
    Topic: URIRef
    TopicScheme: URIRef
    adoptedAt: URIRef
    affiliation: URIRef
    batchNumber: URIRef
    batchOf: URIRef
    commitmentOf: URIRef
    date: URIRef
    editionNumber: URIRef
    endDate: URIRef
    event: URIRef
    evidence: URIRef
    hasCommitment: URIRef
    hasSubProgram: URIRef
    heldIn: URIRef
    implements: URIRef
    inBatch: URIRef
    inCapacityOf: URIRef
    inSeries: URIRef
    issuedBy: URIRef
    launchedAt: URIRef
    launchedBy: URIRef
    locatedIn: URIRef
    measure: URIRef
    mentions: URIRef
    ordinal: URIRef
    organizer: URIRef
    participant: URIRef
    participationRole: URIRef
    partnerCountry: URIRef
    pledgedBy: URIRef
    positionTitle: URIRef
    qualifier: URIRef
    referenceDate: URIRef
    refersTo: URIRef
    reportedAt: URIRef
    reports: URIRef
    section: URIRef
    sha256: URIRef
    sourceDocument: URIRef
    sourceFile: URIRef
    startDate: URIRef
    statement: URIRef
    statisticOf: URIRef
    subProgramOf: URIRef
    supportsProperty: URIRef
    topic: URIRef
    unit: URIRef
    value: URIRef
    year: URIRef


BASE = "https://w3id.org/bri-kg/"
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")
OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("https://schema.org/")
VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SPDX = Namespace("http://spdx.org/rdf/terms#")

ONTOLOGY_GRAPH = URIRef(BASE + "graph/ontology")

PREFIXES: dict[str, str] = {
    "bri": str(BRI._NS),
    "id": str(ID),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "schema": str(SCHEMA),
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "oa": str(OA),
    "void": str(VOID),
    "dcat": str(DCAT),
    "spdx": str(SPDX),
}
