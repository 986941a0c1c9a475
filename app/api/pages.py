"""What a browser opens: `/` (to the dashboard, or to the docs when it is not built), `/docs`
(Swagger UI from the swagger-ui-bundle-v2 package, so it works without internet) and the spec
also at `/openapi.json`, where FastAPI projects and their generators look for it. None of these
is in the spec."""

import re
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Scope
from swagger_ui_bundle import swagger_ui_path

from app.core.security_headers import CONTENT_SECURITY_POLICY, page_policy, script_hash

DOCS_URL = "/docs"
OAUTH2_REDIRECT_URL = "/docs/oauth2-redirect"
ASSETS_URL = "/docs/assets"
SPEC_ALIAS_URL = "/openapi.json"

SWAGGER_UI_DIR = Path(str(swagger_ui_path))
# What the page loads (and the browser's developer tools, the source maps); the package's demo
# page and its initializer (which points at the petstore) are not served.
SWAGGER_UI_ASSETS = frozenset(
    {
        "swagger-ui-bundle.js",
        "swagger-ui-bundle.js.map",
        "swagger-ui.css",
        "swagger-ui.css.map",
        "favicon-32x32.png",
    }
)
# Swagger UI's validator badge would send the spec to validator.swagger.io.
SWAGGER_UI_PARAMETERS = {"validatorUrl": None}

_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


class _SwaggerUIAssets(StaticFiles):
    """The package's directory, restricted to the files the page needs."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        if path not in SWAGGER_UI_ASSETS:
            raise HTTPException(status_code=404)
        return await super().get_response(path, scope)


class DashboardFiles(StaticFiles):
    """The built web app. A path that names no file and has no extension is one of the app's
    own URLs (`/app/labs/…/2026/entries`, a deep link or a reload): it gets `index.html`, and the
    app's router shows that view. A missing asset (`…/x.js`) stays a 404."""

    def __init__(self, *, directory: Path) -> None:
        super().__init__(directory=directory, html=True)

    def is_not_modified(self, response_headers: Headers, request_headers: Headers) -> bool:
        """The page itself is always sent whole: a 304 has no content type, so it would get the
        policy of a non-page (`default-src 'none'`), which the browser then applies to its cached
        page, and a reload would show nothing. (Its hashed assets are still revalidated.)"""
        if response_headers.get("content-type", "").startswith("text/html"):
            return False
        return super().is_not_modified(response_headers, request_headers)

    async def get_response(self, path: str, scope: Scope) -> Response:
        try:
            return await super().get_response(path, scope)
        except HTTPException as error:
            if error.status_code != 404 or "." in path.rsplit("/", 1)[-1]:
                raise
            return await super().get_response("index.html", scope)


def _with_its_scripts_allowed(page: HTMLResponse) -> HTMLResponse:
    """FastAPI's pages start Swagger UI with an inline script: the page's policy allows exactly
    that script, by its hash, rather than any inline script."""
    scripts = _INLINE_SCRIPT.findall(bytes(page.body).decode())
    page.headers[CONTENT_SECURITY_POLICY] = page_policy(*map(script_hash, scripts))
    return page


async def get_docs(request: Request) -> HTMLResponse:
    """Swagger UI on this server's spec, with its assets from this server."""
    root = request.scope.get("root_path", "")
    app: FastAPI = request.app
    return _with_its_scripts_allowed(
        get_swagger_ui_html(
            openapi_url=f"{root}{app.openapi_url}",
            title=f"{app.title} - API documentation",
            oauth2_redirect_url=f"{root}{OAUTH2_REDIRECT_URL}",
            swagger_js_url=f"{root}{ASSETS_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{ASSETS_URL}/swagger-ui.css",
            swagger_favicon_url=f"{root}{ASSETS_URL}/favicon-32x32.png",
            swagger_ui_parameters={**SWAGGER_UI_PARAMETERS, **(app.swagger_ui_parameters or {})},
        )
    )


async def get_docs_oauth2_redirect(request: Request) -> HTMLResponse:
    """Where an OAuth2 provider sends Swagger UI back to (flows other than password)."""
    return _with_its_scripts_allowed(get_swagger_ui_oauth2_redirect_html())


def _spec_route(app: FastAPI) -> Route:
    for route in app.router.routes:
        if isinstance(route, Route) and route.path == app.openapi_url:
            return route
    raise RuntimeError("no OpenAPI document to alias: call add_pages after FastAPI() set it up")


def add_pages(app: FastAPI, *, dashboard_url: str | None) -> None:
    """`/`, `/docs` and its assets, `/openapi.json`. `dashboard_url`: where `/` leads when the
    dashboard is built (else to the docs)."""
    landing = dashboard_url or DOCS_URL

    async def get_root(request: Request) -> RedirectResponse:
        # 307, not 308: where `/` leads depends on whether the dashboard is built, and a
        # permanent redirect cached by a browser would outlive that.
        return RedirectResponse(f"{request.scope.get('root_path', '')}{landing}", status_code=307)

    # FastAPI's own handler, so both paths answer the same document in the same way.
    spec = _spec_route(app)
    app.add_route(SPEC_ALIAS_URL, spec.endpoint, methods=["GET", "HEAD"], include_in_schema=False)
    app.add_route("/", get_root, methods=["GET", "HEAD"], include_in_schema=False)
    app.add_route(DOCS_URL, get_docs, methods=["GET", "HEAD"], include_in_schema=False)
    app.add_route(
        OAUTH2_REDIRECT_URL,
        get_docs_oauth2_redirect,
        methods=["GET", "HEAD"],
        include_in_schema=False,
    )
    app.mount(ASSETS_URL, _SwaggerUIAssets(directory=SWAGGER_UI_DIR), name="swagger-ui")
