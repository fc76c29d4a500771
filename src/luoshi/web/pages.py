"""Server-rendered pages: home, search, document, targets, indicator, digest, compare."""

from __future__ import annotations

import re
from pathlib import Path as FilePath
from typing import Annotated, Callable

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from luoshi.errors import NotFoundError
from luoshi.model import Document, Fact
from luoshi.web.api import (DOC_ID, INDICATOR_ID, Blank, Indicator, Kind, NoControl, PageNo, Region, Status, Verdict,
                            Year, YearFrom, YearTo, service)
from luoshi.web.highlight import Mark, nested_in, non_overlapping, render

router = APIRouter(include_in_schema=False)


def templates(folder: FilePath) -> Jinja2Templates:
    # the monitoring macros are shared with the printable report (luoshi/track/templates)
    engine = Jinja2Templates(directory=[str(folder), str(folder.parent.parent / "track" / "templates")])
    engine.env.autoescape = True
    engine.env.filters["num"] = lambda v: "" if v is None else (f"{v:g}" if isinstance(v, float) else str(v))
    return engine


def _cached_page(request: Request, name: str, key: tuple, context: Callable[[], dict]) -> HTMLResponse:
    """A page rendered once per data version and ``key`` — the route's validated parameters,
    never the raw query string (an unknown parameter must not make a new entry): the target
    table is 160 KB of HTML, a digest re-analyses its document; neither changes until the
    next ingest."""
    template = request.app.state.templates.get_template(name)
    body = service(request).page((name,) + key, lambda: template.render(request=request, **context()).encode("utf-8"))
    return HTMLResponse(body)


def _document(request: Request, doc_id: str) -> Document:
    doc = service(request).document(doc_id)
    if doc is None:
        raise NotFoundError(f"no document {doc_id}")
    return doc


def fact_mark(fact: Fact) -> Mark:
    summary = " · ".join(str(x) for x in (fact.indicator, fact.status, fact.period) if x)
    return Mark(fact.start, fact.end, "mark", {
        "class": f"fact {fact.status}", "id": f"f{fact.start}", "tabindex": "0", "title": summary,
        "data-text": fact.text, "data-value": f"{fact.value:g}" + (f"–{fact.value_max:g}" if fact.value_max else ""),
        "data-unit": fact.unit or "", "data-base": f"{fact.value_base:g}", "data-base-unit": fact.base_unit or "",
        "data-qualifier": fact.qualifier or "", "data-kind": fact.kind, "data-status": fact.status,
        "data-period": fact.period or "", "data-indicator": fact.indicator or "",
        "data-period-range": f"{fact.period_grain} {fact.period_start} – {fact.period_end}" if fact.period_grain else "",
        "data-indicator-id": fact.indicator_id or "", "data-region": fact.region or ""})


def document_html(doc: Document) -> Markup:
    """The whole text with tasks, figures and entities marked and an anchor at each section."""
    tasks = non_overlapping([Mark(t.start, t.end, "span", {"class": "task", "id": f"t{t.start}",
                                                           "title": f"任务：{t.object or ''}"}) for t in doc.tasks])
    figures = [fact_mark(f) for f in doc.facts]
    entities = [Mark(e.start, e.end, "mark", {"class": f"entity {e.type}", "title": e.type}) for e in doc.entities]
    inner = nested_in(non_overlapping(figures + entities), tasks)
    # c{offset} at every sentence (search results link there), s{offset} at every section
    anchors = {s.start: f"c{s.start}" for s in doc.sentences}
    anchors.update({s.start: f"s{s.start}" for s in doc.sections})
    return Markup(render(doc.text, 0, len(doc.text), tasks, inner, anchors))


@router.get("/", response_class=HTMLResponse)
def home(request: Request, page: PageNo = 1) -> HTMLResponse:
    svc = service(request)
    return _cached_page(request, "home.html", (page,), lambda: {
        "overview": svc.overview(), "documents": svc.documents(page=page, per_page=100)})


def _hit_html(row: dict, query: str) -> Markup:
    text, start = row["text"], row["start"]
    # ASCII letters match either case, as the trigram index and the scans do (gdp finds GDP)
    pattern = re.compile(re.escape(query), re.IGNORECASE | re.ASCII)
    hits = [Mark(m.start(), m.end(), "mark", {"class": "hit"}) for m in pattern.finditer(text)]
    figures = [Mark(f["start"] - start, f["end"] - start, "span",
                    {"class": f"fact {f['status']}", "title": f"{f['indicator'] or ''} · {f['status']} · {f['period'] or ''}"})
               for f in row["facts"]]
    inner = nested_in(non_overlapping(figures), hits)
    return Markup(render(text, 0, len(text), hits, inner, {}))


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, q: Annotated[str, Query(max_length=100), NoControl] = "", region: Region = None,
                year: Year = None, kind: Kind = None, status: Status = None, page: PageNo = 1) -> HTMLResponse:
    query = q.strip()

    def context() -> dict:
        results = service(request).search(query, region=region or None, year=year, kind=kind, status=status,
                                          page=page, per_page=20) if query else None
        rows = [(r, _hit_html(r, query)) for r in results.items] if results else []
        return {"q": query, "region": region or "", "year": year, "kind": kind or "", "status": status or "",
                "results": results, "rows": rows, "page": page}
    return _cached_page(request, "search.html", (query, region, year, kind, status, page), context)


@router.get("/doc/{doc_id}", response_class=HTMLResponse)
def document_page(request: Request, doc_id: DOC_ID) -> HTMLResponse:
    def context() -> dict:
        doc = _document(request, doc_id)
        return {"doc": doc, "body": document_html(doc), "nav": [s for s in doc.sections if s.level <= 2],
                "targets": [f for f in doc.facts if f.status == "target" and f.indicator_id]}
    return _cached_page(request, "document.html", (doc_id,), context)


TARGET_ROWS_PER_PAGE = 500  # a corpus of every city's reports has tens of thousands of rows


@router.get("/targets", response_class=HTMLResponse)
def targets_page(request: Request, region: Region = None, indicator: Indicator = None, verdict: Verdict = None,
                 year_from: YearFrom = None, year_to: YearTo = None, page: PageNo = 1) -> HTMLResponse:
    svc = service(request)

    def context() -> dict:
        rows = svc.targets(region or None, indicator or None, verdict, year_from, year_to)
        pages = max(1, -(-len(rows) // TARGET_ROWS_PER_PAGE))
        shown = rows[(page - 1) * TARGET_ROWS_PER_PAGE : page * TARGET_ROWS_PER_PAGE]
        return {"rows": shown, "total": len(rows), "page": page, "pages": pages,
                "filters": svc.target_filters(), "region": region or "", "indicator": indicator or "",
                "verdict": verdict or "", "year_from": year_from, "year_to": year_to}
    return _cached_page(request, "targets.html", (region, indicator, verdict, year_from, year_to, page), context)


@router.get("/indicator/{indicator_id}", response_class=HTMLResponse)
def indicator_page(request: Request, indicator_id: INDICATOR_ID, region: Region = None) -> HTMLResponse:
    svc = service(request)
    indicator = svc.resources.catalog.by_id(indicator_id)
    if indicator is None:
        raise NotFoundError(f"no indicator {indicator_id} in the catalog")
    region = region or "全国"

    def context() -> dict:
        return {"indicator": indicator, "region": region, "rows": svc.targets(region=region, indicator=indicator_id),
                "series": {"name": indicator.name, "unit": indicator.unit,
                           "points": svc.series(indicator_id, region)}}
    return _cached_page(request, "indicator.html", (indicator_id, region), context)


@router.get("/digest/{doc_id}", response_class=HTMLResponse)
def digest_page(request: Request, doc_id: DOC_ID,
                focus: Annotated[str | None, Query(max_length=40), NoControl] = None) -> HTMLResponse:
    from luoshi.digest import build_digest
    from luoshi.digest.render import section_title

    svc = service(request)
    focus = (focus or "").strip()

    def context() -> dict:
        doc = _document(request, doc_id)
        return {"doc": doc, "digest": build_digest(doc, svc.resources, focus or None),
                "labels": svc.resources.digest.labels, "focus": focus, "section_title": section_title}
    return _cached_page(request, "digest.html", (doc_id, focus), context)


@router.get("/compare", response_class=HTMLResponse)
def compare_page(request: Request, old: Annotated[str, Query(pattern=r"^[0-9a-f]{8,32}$")],
                 new: Annotated[str, Query(pattern=r"^[0-9a-f]{8,32}$")]) -> HTMLResponse:
    from luoshi.report.compare import compare_documents

    svc = service(request)

    def context() -> dict:
        before, after = _document(request, old), _document(request, new)
        return {"old": before, "new": after, "c": compare_documents(before, after, svc.resources).to_dict()}
    return _cached_page(request, "compare.html", (old, new), context)


TRACK_AS_OF = Annotated[str | None, Query(max_length=10, pattern=r"^\d{4}(-\d{2}(-\d{2})?|[HQhq]\d)?$",
                                          description="date of the sheet: 2024-06-30, 2024-06, 2024H1; default today"),
                        Blank]


@router.get("/track", response_class=HTMLResponse)
def track_page(request: Request, region: Region = None, as_of: TRACK_AS_OF = None) -> HTMLResponse:
    from luoshi.track.svg import indicator_chart, progress_bar

    svc = service(request)
    regions = svc.track_regions()
    if not regions:
        return request.app.state.templates.TemplateResponse(request, "track.html", {
            "sheet": None, "regions": [], "region": "", "as_of": as_of or ""})
    sheet_key, sheet = svc.track_sheet(region or None, as_of)
    template = request.app.state.templates.get_template("track.html")
    body = svc.track_page(sheet_key, lambda: template.render(
        request=request, sheet=sheet, regions=regions, region=sheet.region, as_of=sheet.as_of.isoformat(),
        chart=indicator_chart, bar=progress_bar).encode("utf-8"))
    return HTMLResponse(body)
