"""One store contract (``contract``, ``errors``, ``terms``) and its two implementations:
``embedded`` (worker processes over an on-disk Oxigraph store) and ``remote`` (any SPARQL 1.1 server).
Serialisation for both lives in ``formats`` and ``answer``."""

from api.store.contract import QueryRequest, QueryResult, QueryStore, Row, SelectResult, StoreHealth
from api.store.errors import BadQuery, QueryFailed, QueryTimeout, StoreError, StoreUnavailable, WorkerFailure
from api.store.terms import Term

__all__ = [
    "BadQuery",
    "QueryFailed",
    "QueryRequest",
    "QueryResult",
    "QueryStore",
    "QueryTimeout",
    "Row",
    "SelectResult",
    "StoreError",
    "StoreHealth",
    "StoreUnavailable",
    "Term",
    "WorkerFailure",
]
