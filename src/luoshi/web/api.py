"""JSON API under /api/: documents, one document, facts, targets, series, search.

Lists are paginated (``page``, ``per_page`` ≤ 200) and answer ``{"total", "page", "per_page",
"items"}``; every parameter is validated, and a bad one is a 422 with a JSON error body.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import AfterValidator, BeforeValidator

from luoshi.errors import BadParameterError, NotFoundError, message
from luoshi.web.service import Service

# what people reach for from other APIs, and what this one calls it
INSTEAD = {"limit": "per_page", "offset": "page", "size": "per_page", "page_size": "per_page", "query": "q"}


def _query_names(dependant) -> set[str]:
    names = {field.alias for field in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


def accepted_parameters(routes) -> dict:
    """Each API route's path -> the query parameters it takes (built once, when the app is made;
    every API route is a GET, so its path names it)."""
    return {route.path: tuple(sorted(_query_names(route.dependant))) for route in routes if hasattr(route, "dependant")}


def known_parameters_only(request: Request) -> None:
    """A parameter the endpoint does not take is a 422, not silently ignored: ``limit=-5``
    must not look as if it had worked."""
    route = request.scope.get("route")
    accepted = request.app.state.accepted_parameters.get(getattr(route, "path", None))
    if accepted is None:  # not one of this router's routes
        return
    unknown = sorted(set(request.query_params) - set(accepted))
    if not unknown:
        return
    hints = [f"{name}: use {INSTEAD[name]}" for name in unknown if INSTEAD.get(name) in accepted]
    raise BadParameterError(message(
        "unknown_parameter", s="s" if len(unknown) > 1 else "", names=", ".join(unknown),
        hints=f" ({'; '.join(hints)})" if hints else "", endpoint=request.url.path,
        accepted=", ".join(accepted) or "no parameters"))


# routes answer JSONResponse themselves: FastAPI's generic encoder costs ten times json.dumps
router = APIRouter(prefix="/api", tags=["api"], default_response_class=JSONResponse,
                   dependencies=[Depends(known_parameters_only)])

DOC_ID = Annotated[str, Path(pattern=r"^[0-9a-f]{8,32}$", description="document id (content hash)")]
INDICATOR_ID = Annotated[str, Path(pattern=r"^[a-z][a-z0-9_]{0,59}$", description="catalog indicator id")]
def _blank_is_none(value):
    """An HTML form sends an unset field as an empty string: treat it as absent."""
    return None if isinstance(value, str) and not value.strip() else value


Blank = BeforeValidator(_blank_is_none)


def _no_control_characters(value: str | None) -> str | None:
    # a NUL ends an FTS5 query string early: refuse control characters instead of a 500
    if value is not None and any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise ValueError("control characters are not allowed")
    return value


NoControl = AfterValidator(_no_control_characters)
PageNo = Annotated[int, Query(ge=1, le=100_000)]
PerPage = Annotated[int, Query(ge=1, le=200)]
Region = Annotated[str | None, Query(max_length=40), Blank, NoControl]
Year = Annotated[int | None, Query(ge=1900, le=2100), Blank]
Kind = Annotated[Literal["report", "news", "resolution"] | None, Query(), Blank]
Status = Annotated[Literal["actual", "target", "forecast"] | None, Query(), Blank]
Verdict = Annotated[Literal["met", "missed", "pending", "unknown", "not_set"] | None, Query(), Blank]
Indicator = Annotated[str | None, Query(max_length=60, pattern=r"^[a-z][a-z0-9_]*$"), Blank]
YearFrom = Annotated[int | None, Query(alias="from", ge=1900, le=2100), Blank]
YearTo = Annotated[int | None, Query(alias="to", ge=1900, le=2100), Blank]


def service(request: Request) -> Service:
    return request.app.state.service


def paginate(items: list, page: int, per_page: int) -> dict:
    return {"total": len(items), "page": page, "per_page": per_page,
            "items": items[(page - 1) * per_page : page * per_page]}


@router.get("/documents", summary="Documents, filtered by region, year and kind")
def documents(request: Request, region: Region = None, year: Year = None, kind: Kind = None,
              page: PageNo = 1, per_page: PerPage = 50) -> JSONResponse:
    return JSONResponse(service(request).documents(region=region, year=year, kind=kind, page=page,
                                                   per_page=per_page).as_dict())


@router.get("/documents/{doc_id}", summary="One document: metadata, text and every layer")
def document(request: Request, doc_id: DOC_ID, text: bool = True) -> JSONResponse:
    doc = service(request).document(doc_id)
    if doc is None:
        raise NotFoundError(f"no document {doc_id}")
    return JSONResponse(doc.to_dict(include_text=text, include_internal=False))


@router.get("/facts", summary="Facts, filtered by document, indicator, status, period and region")
def facts(request: Request, doc: Annotated[str | None, Query(pattern=r"^[0-9a-f]{8,32}$")] = None,
          indicator: Indicator = None, status: Status = None,
          period: Annotated[str | None, Query(pattern=r"^\d{4}$")] = None, region: Region = None,
          page: PageNo = 1, per_page: PerPage = 50) -> JSONResponse:
    return JSONResponse(service(request).facts(doc=doc, indicator=indicator, status=status, period=period,
                                               region=region, page=page, per_page=per_page).as_dict())


@router.get("/targets", summary="The target ↔ outcome table with verdicts")
def targets(request: Request, region: Region = None, indicator: Indicator = None, verdict: Verdict = None,
            year_from: YearFrom = None, year_to: YearTo = None,
            page: PageNo = 1, per_page: PerPage = 200) -> JSONResponse:
    rows = service(request).targets(region, indicator, verdict, year_from, year_to)
    return JSONResponse(paginate(rows, page, per_page))


@router.get("/series/{indicator_id}", summary="Target band and outcome of one indicator by year")
def series(request: Request, indicator_id: INDICATOR_ID, region: Annotated[str, Query(max_length=40)] = "全国") -> JSONResponse:
    svc = service(request)
    indicator = svc.resources.catalog.by_id(indicator_id)
    if indicator is None:
        raise NotFoundError(f"no indicator {indicator_id} in the catalog")
    return JSONResponse({"indicator_id": indicator_id, "indicator": indicator.name, "unit": indicator.unit,
                         "direction": indicator.direction, "region": region,
                         "points": svc.series(indicator_id, region)})


@router.get("/search", summary="Full-text search over sentences (any substring)")
def search(request: Request, q: Annotated[str, Query(min_length=1, max_length=100), NoControl], region: Region = None,
           year: Year = None, kind: Kind = None, status: Status = None,
           page: PageNo = 1, per_page: Annotated[int, Query(ge=1, le=100)] = 20) -> JSONResponse:
    return JSONResponse(service(request).search(q.strip() or q, region=region, year=year, kind=kind, status=status,
                                                page=page, per_page=per_page).as_dict())


TrackAsOf = Annotated[str | None, Query(max_length=10, pattern=r"^\d{4}(-\d{2}(-\d{2})?|[HQhq]\d)?$",
                                        description="date of the sheet: 2024-06-30, 2024-06, 2024H1; default today"),
                      Blank]


@router.get("/track/status", summary="Monitoring: status of every indicator and key project of a region as of a date")
def track_status(request: Request, region: Region = None, as_of: TrackAsOf = None,
                 points: bool = True) -> JSONResponse:
    import json

    from fastapi.responses import Response

    svc = service(request)
    key, sheet = svc.track_sheet(region, as_of)
    # the same bytes until the next load: a sheet of 66 indicators is about 150 KB of JSON
    body = svc.track_page(key + ("json", points), lambda: json.dumps(
        sheet.to_dict(points=points), ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    return Response(body, media_type="application/json")


@router.get("/track/alerts", summary="Monitoring: only what is behind, on alert or late, with why")
def track_alerts(request: Request, region: Region = None, as_of: TrackAsOf = None) -> JSONResponse:
    from luoshi.track.render import ALERT_COLUMNS, alert_rows

    _, sheet = service(request).track_sheet(region, as_of)
    return JSONResponse({"region": sheet.region, "as_of": sheet.as_of.isoformat(),
                         "items": [{c: r.get(c) for c in ALERT_COLUMNS} for r in alert_rows(sheet)]})
