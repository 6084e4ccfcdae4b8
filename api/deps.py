"""FastAPI dependencies: how a router asks for what it uses. Tests override any of them
(``app.dependency_overrides[get_services] = ...``) without touching the routers.

They are ``async def`` on purpose: FastAPI runs a plain ``def`` dependency in its thread pool, a
thread hop per request that cost about 0.3 ms on this machine for what is an attribute read."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from api.catalog import NamedQuery
from api.config import ApiSettings
from api.index.graph import GraphIndex
from api.services import Services
from api.store.contract import QueryStore


def pinned_services(request: Request) -> Services | None:
    """The services this request was pinned to when it arrived (``api.live``): one build for its whole life."""
    services: Services | None = getattr(request.state, "services", None) or getattr(
        request.app.state, "services", None)
    return services


async def get_services(request: Request) -> Services:
    services = pinned_services(request)
    if services is None:
        raise RuntimeError("the services are not started")
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


async def get_settings(svc: ServicesDep) -> ApiSettings:
    return svc.settings


async def get_store(svc: ServicesDep) -> QueryStore:
    return svc.store


async def get_index(svc: ServicesDep) -> GraphIndex:
    return svc.index


async def get_queries(svc: ServicesDep) -> dict[str, NamedQuery]:
    return svc.queries


SettingsDep = Annotated[ApiSettings, Depends(get_settings)]
StoreDep = Annotated[QueryStore, Depends(get_store)]
IndexDep = Annotated[GraphIndex, Depends(get_index)]
QueriesDep = Annotated[dict[str, NamedQuery], Depends(get_queries)]
