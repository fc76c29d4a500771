"""The web app: server-rendered pages and a JSON API over one corpus database.

``create_app(Settings(db=...))`` builds it; ``luoshi serve`` runs it with uvicorn on
127.0.0.1, each worker calling the same factory with the same settings. Document
text is untrusted: templates autoescape, the highlighter escapes, and the Content-Security-
Policy allows only the package's own scripts and styles. Errors are JSON with a code under
``/api/`` and an HTML page elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from luoshi._version import __version__
from luoshi.errors import BadParameterError, LuoshiError, NotFoundError, RequestTooLargeError
from luoshi.resources import load_resources
from luoshi.store.db import Database
from luoshi.web.service import Service

HERE = Path(__file__).parent
MAX_BODY_BYTES = 64 * 1024  # the app takes no uploads; anything larger is refused unread
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
STATUS_OF = {NotFoundError: 404, BadParameterError: 422, RequestTooLargeError: 413}


def _error_body(code: str, message: str, status: int) -> dict:
    return {"error": {"code": code, "status": status, "message": message}}


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error_response(request: Request, status: int, code: str, message: str) -> HTMLResponse | JSONResponse:
    if _wants_json(request):
        return JSONResponse(_error_body(code, message, status), status_code=status)
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, "error.html", {"status": status, "code": code, "message": message},
                                      status_code=status)


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(LuoshiError)
    async def luoshi_error(request: Request, exc: LuoshiError):
        return _error_response(request, STATUS_OF.get(type(exc), 400), exc.code, str(exc))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in exc.errors())
        return _error_response(request, 422, BadParameterError.code, problems or "bad parameters")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        return _error_response(request, exc.status_code, f"E{exc.status_code}", str(exc.detail))


def _install_middleware(app: FastAPI) -> None:
    @app.middleware("http")
    async def limits_and_headers(request: Request, call_next):
        length = request.headers.get("content-length")
        if length and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
            return _error_response(request, 413, RequestTooLargeError.code,
                                   f"request body over {MAX_BODY_BYTES} bytes")
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response


@dataclass(frozen=True)
class Settings:
    """What the app serves: the database (path or URL) and the indicator catalog (None: the
    packaged one). Picklable, so that worker processes receive it with the factory."""

    db: str = "luoshi.db"
    catalog: str | None = None


def create_app(settings: Settings = Settings()) -> FastAPI:
    from luoshi.web import api, pages

    # no /docs or /redoc: their pages load Swagger's scripts from a CDN, which the CSP forbids
    app = FastAPI(title="luoshi", version=__version__, docs_url=None, redoc_url=None, description=(
        "Chinese government work reports as structured, auditable data: documents, facts, "
        "targets and outcomes, series, full-text search. Errors: {\"error\": {\"code\", \"status\", \"message\"}}."))
    app.state.service = Service(Database.existing(settings.db), load_resources(settings.catalog))
    app.state.service.warm()
    app.state.templates = pages.templates(HERE / "templates")
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    _install_middleware(app)
    _install_error_handlers(app)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.state.accepted_parameters = api.accepted_parameters(api.router.routes)
    return app
