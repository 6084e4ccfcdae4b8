"""Pydantic response models of the analyst endpoints: the JSON shapes the OpenAPI schema documents."""

from __future__ import annotations

from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")


class EntityRef(BaseModel):
    """A thing in the graph, with what a reader needs to show it."""

    id: str = Field(description="Canonical IRI")
    label: str
    types: list[str] = Field(default_factory=list, description="rdf:type IRIs")
    href: str = Field(description="Where this server answers for it (HTML or RDF by Accept)")


class LiteralValue(BaseModel):
    value: str
    datatype: str | None = None
    lang: str | None = None


class Relation(BaseModel):
    """One edge at an entity: ``direction`` out means entity -> value, in means value -> entity."""

    property: str
    property_label: str
    direction: Literal["out", "in"]
    entity: EntityRef | None = Field(default=None, description="The other end, when it is a resource")
    literal: LiteralValue | None = Field(default=None, description="The value, when it is a literal")


class Source(BaseModel):
    """A verbatim passage of a source document supporting a fact."""

    evidence: str = Field(description="IRI of the evidence (oa:Annotation) node")
    quote: str
    prefix: str = ""
    suffix: str = ""
    start: int | None = Field(default=None, description="Offset in Unicode code points")
    end: int | None = None
    document: EntityRef
    supports_property: str | None = Field(default=None, description="The property whose value the quote states")


class StatisticOut(BaseModel):
    id: str
    label: str
    href: str
    value: str | None = None
    qualifier: str | None = None
    qualifier_label: str | None = None
    measure: str | None = None
    unit: str | None = None
    statistic_of: EntityRef | None = None
    reported_at: EntityRef | None = None
    year: str | None = None
    reference_date: str | None = None
    sources: list[Source] = Field(default_factory=list)


class EntityDetail(BaseModel):
    id: str
    label: str
    href: str
    types: list[EntityRef]
    alt_labels: list[str]
    description: str | None = None
    properties: list[Relation] = Field(description="Literal-valued facts")
    relations_total: int
    limit: int
    offset: int
    relations: list[Relation] = Field(description="Links to and from other resources (paginated)")
    sources: list[Source]
    statistics: list[StatisticOut] = Field(description="Statistics about, of, or reported at this entity")


class Page(BaseModel, Generic[T]):
    total: int
    limit: int
    offset: int
    items: list[T]


class SearchHitOut(BaseModel):
    entity: EntityRef
    matched_label: str = Field(description="The name (label, preferred or alternative) that matched")
    score: float


class PathStep(BaseModel):
    from_: EntityRef = Field(alias="from")
    property: str
    property_label: str
    direction: Literal["forward", "backward"] = Field(description="forward: from --property--> to")
    to: EntityRef

    model_config = {"populate_by_name": True}


class PathOut(BaseModel):
    length: int
    steps: list[PathStep]


class PathsOut(BaseModel):
    source: EntityRef
    target: EntityRef
    max_depth: int
    paths: list[PathOut]


class TimelineEvent(BaseModel):
    date: str = Field(description="ISO date, or a year")
    end_date: str | None = None
    kind: str = Field(description="conference, document, launch, or another dated thing")
    property: str = Field(description="The dated property (bri:startDate, dcterms:issued, bri:year, ...)")
    entity: EntityRef
    note: str | None = None


class QueryParam(BaseModel):
    name: str
    type: Literal["iri", "string", "integer", "decimal", "date"]
    required: bool
    description: str = ""


class NamedQueryOut(BaseModel):
    name: str
    title: str
    description: str
    params: list[QueryParam]
    href: str
    sparql: str | None = None


class NamedQueryResult(BaseModel):
    query: str
    columns: list[str]
    total: int
    truncated: bool = Field(description="True if the store's result-row cap cut the answer")
    limit: int
    offset: int
    rows: list[dict[str, str | int | None]]


class Health(BaseModel):
    status: Literal["ok", "degraded"]
    store: str
    store_kind: Literal["embedded", "remote"]
    store_reachable: bool
    triples: int
    quads: int
    version: str
    graphs: int
    entities: int
    index: Literal["ready", "loading"]  # label/graph index behind search, entity pages and paths
    query_workers: int  # the quick lane's workers (BRI_KG_QUERY_WORKERS); long queries run on extra ones
    idle_workers: int
    killed_queries: int  # stopped for overrunning the time limit, since start
    long_queries: int = 0  # running in the long-query lane now
    queued_queries: int = 0  # waiting for a worker now
    refused_queries: int = 0  # turned away with 503 since start (queue full, waited too long)
    retried_queries: int = 0  # run again since start because their worker died


class GraphNode(BaseModel):
    id: str = Field(description="Canonical IRI")
    label: str
    kind: str = Field(description="conference, policy, alliance, organization, person, place, topic, ...")
    depth: int = Field(description="Steps from the centre")
    href: str


class GraphEdge(BaseModel):
    id: str
    source: str
    target: str
    label: str
    relation: str = Field(description="The property IRI, or affiliation / participation / commitment for a "
                                      "relation node collapsed into this edge")
    count: int = Field(default=1, description="Relation nodes merged into this edge (commitments on one topic)")
    via: str | None = Field(default=None, description="The relation node this edge stands for")
    via_href: str | None = None


class RelationCount(BaseModel):
    relation: str
    label: str
    count: int


class GraphOut(BaseModel):
    center: str
    hops: int
    truncated: bool = Field(description="True if max_nodes cut the neighbourhood")
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    relations: list[RelationCount] = Field(description="Edges per relation, for filters")


class MapThing(BaseModel):
    id: str
    label: str
    kind: str
    relation: str = Field(description="How it is linked to the place (held in, located in, ...)")
    href: str


class MapPlace(BaseModel):
    id: str
    label: str
    kind: str
    href: str
    lat: float | None = Field(default=None, description="WGS84 latitude (cities), from the gazetteer graph")
    long: float | None = None
    iso_numeric: str | None = Field(default=None, description="ISO 3166-1 numeric code (countries)")
    things: list[MapThing] = Field(default_factory=list, description="What happens there")


class MapOut(BaseModel):
    points: list[MapPlace] = Field(description="Places with coordinates")
    countries: list[MapPlace] = Field(description="Countries, matched to map shapes by ISO 3166-1 numeric code")
    unplaced: list[MapPlace] = Field(default_factory=list, description=(
        "Places the gazetteer has neither coordinates nor a country code for: not drawn, listed "
        "(regions, organizations' groupings, places `bri-kg gazetteer` could not match)"))
