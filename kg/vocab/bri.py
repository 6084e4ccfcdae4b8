"""GENERATED from ontology/bri.ttl by `python -m kg.vocab.generate`: do not edit by hand."""

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef

from kg.vocab import namespaces


class BRI(DefinedNamespace):
    """Terms of https://w3id.org/bri-kg/ontology# (closed: an unknown term raises AttributeError)."""

    _NS = Namespace(namespaces.BRI)
    _fail = True

    ActionPlan: URIRef
    AdministrativeArea: URIRef
    Affiliation: URIRef
    Agent: URIRef
    AgentGroup: URIRef
    Alliance: URIRef
    Approximately: URIRef
    AtLeast: URIRef
    City: URIRef
    Commitment: URIRef
    Conference: URIRef
    ConferenceSeries: URIRef
    Country: URIRef
    DateOrYear: URIRef
    Declaration: URIRef
    Event: URIRef
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
    heldFrom: URIRef
    heldIn: URIRef
    heldOn: URIRef
    heldUntil: URIRef
    implements: URIRef
    inBatch: URIRef
    inCapacityOf: URIRef
    inProgram: URIRef
    inSeries: URIRef
    inferred: URIRef
    inferredFrom: URIRef
    iso3166Alpha2: URIRef
    iso3166Alpha3: URIRef
    isoCountryCode: URIRef
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
    pledgedDuring: URIRef
    positionTitle: URIRef
    qualifier: URIRef
    reasoning: URIRef
    referenceDate: URIRef
    refersTo: URIRef
    reportedAt: URIRef
    reportedIn: URIRef
    reports: URIRef
    retrievedOn: URIRef
    section: URIRef
    sha256: URIRef
    sourceDocument: URIRef
    sourceFile: URIRef
    startDate: URIRef
    statement: URIRef
    statisticOf: URIRef
    subEventOf: URIRef
    subProgramOf: URIRef
    supportsProperty: URIRef
    topic: URIRef
    unit: URIRef
    value: URIRef
    verified: URIRef
    year: URIRef
