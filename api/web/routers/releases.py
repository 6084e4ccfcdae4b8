"""Dated data releases (``bri-kg release``): listed at /releases/, each served whole and kept.

``/dumps/`` is always the current build; ``/releases/{version}/`` is a release, whose files never
change (ETags are their SHA-256, as for dumps). ``/releases/CHANGELOG.md`` is the changelog; the
version IRI of a release's dataset, ``{base}dataset/{version}``, leads to its description.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse

from api.deps import ServicesDep
from api.services import Services
from api.web import negotiation as neg
from api.web.pages import render
from api.web.routers.dumps import MEDIA_TYPES, TITLES, checksums, serve_file
from kg.publish.release import (
    CHANGELOG,
    CHANGES_FILE,
    PATCH_FILE,
    RELEASE_FILE,
    VERSION_RE,
    Release,
    list_releases,
    releases_dir,
)

router = APIRouter(tags=["releases"])
RELEASE_MEDIA = MEDIA_TYPES | {RELEASE_FILE: "application/json", CHANGES_FILE: "text/markdown",
                               PATCH_FILE: "text/plain"}
RELEASE_TITLES = TITLES | {RELEASE_FILE: "Version, date, build and counts of this release",
                           CHANGES_FILE: "What changed since the previous release",
                           PATCH_FILE: "The same changes as an N-Quads +/- patch"}


def _summary(release: Release) -> dict[str, Any]:
    return {"version": release.version, "date": release.date.isoformat(), "href": f"/releases/{release.version}/",
            "build_version": release.build_version, "previous": release.previous, "changes": release.changes}


def _release(svc: Services, version: str) -> Release:
    found = next((r for r in list_releases(svc.settings) if r.version == version), None)
    if found is None:
        raise HTTPException(404, f"no release {version!r}; see /releases/")
    return found


@router.get("/releases", include_in_schema=False)
async def releases_redirect() -> Response:
    return RedirectResponse("/releases/", status_code=301)


@router.api_route("/releases/", methods=["GET", "HEAD"], summary="Every data release, newest first")
async def list_all(request: Request, svc: ServicesDep) -> Response:
    releases = [_summary(r) for r in reversed(list_releases(svc.settings))]
    if neg.prefers_html(request.headers.get("accept")):
        return render(request, "releases.html", releases=releases, current=svc.build.version)
    latest = releases[0]["version"] if releases else None
    return JSONResponse({"latest": latest, "current_build": svc.build.version, "releases": releases,
                         "changelog": "/releases/CHANGELOG.md"}, headers={"Vary": "Accept"})


@router.api_route("/releases/CHANGELOG.md", methods=["GET", "HEAD"], summary="The changelog of the data releases")
async def changelog(svc: ServicesDep) -> Response:
    path = releases_dir(svc.settings) / CHANGELOG
    if not path.is_file():
        raise HTTPException(404, "no release yet: `bri-kg release` makes the first")
    return PlainTextResponse(path.read_text(encoding="utf-8"), media_type="text/markdown; charset=utf-8")


def _files(folder: Path) -> list[dict[str, Any]]:
    sums = checksums(folder)
    return [{"name": n, "href": n, "media_type": RELEASE_MEDIA.get(n, "application/octet-stream"),
             "bytes": (folder / n).stat().st_size, "sha256": sums.get(n), "title": RELEASE_TITLES.get(n, n)}
            for n in sorted(sums) if (folder / n).is_file()]


@router.api_route("/releases/{version}/", methods=["GET", "HEAD"], summary="One release: its files")
async def one(request: Request, version: str, svc: ServicesDep) -> Response:
    release = _release(svc, version)
    files = _files(release.path)
    if neg.prefers_html(request.headers.get("accept")):
        return render(request, "releases.html", release=_summary(release), files=files, current=svc.build.version)
    return JSONResponse({**_summary(release), "files": files}, headers={"Vary": "Accept"})


@router.api_route("/releases/{version}/{name}", methods=["GET", "HEAD"], summary="One file of a release")
async def release_file(request: Request, version: str, name: str, svc: ServicesDep) -> Response:
    release = _release(svc, version)
    if name not in RELEASE_MEDIA:
        raise HTTPException(404, f"no file {name!r} in release {version}")
    return serve_file(request, svc, name, RELEASE_MEDIA[name], folder=release.path)


@router.api_route("/dataset/{version}", methods=["GET", "HEAD"], include_in_schema=False)
async def dataset_version(version: str, svc: ServicesDep) -> Response:
    """The version IRI of a release's dataset (``{base}dataset/{version}``): its description."""
    if not VERSION_RE.match(version):
        raise HTTPException(404, f"{version!r} is not a data version (YYYY.MM.N)")
    _release(svc, version)
    return RedirectResponse(f"/releases/{version}/void.ttl", status_code=303)
