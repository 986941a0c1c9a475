"""What a browser opens: `/` leads somewhere useful, `/docs` needs nothing but this server, the
spec is also at `/openapi.json`, and every response carries the security headers."""

import hashlib
import re
from base64 import b64encode
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from app.api.pages import SWAGGER_UI_DIR
from app.main import create_app

SHARED = {"x-content-type-options": "nosniff", "x-frame-options": "DENY"}
_ASSET_TYPES = {
    ".js": ("text/javascript", "application/javascript"),
    ".css": ("text/css",),
    ".png": ("image/png",),
}


def _built_dashboard(directory: Path) -> Path:
    (directory / "assets").mkdir(parents=True)
    (directory / "index.html").write_text(
        '<!doctype html><title>co2calculator</title><script type="module" '
        'src="/app/assets/index.js"></script>'
    )
    (directory / "assets" / "index.js").write_text("console.log(1)")
    return directory


def _client(app: FastAPI) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://test")


def _directives(policy: str) -> dict[str, list[str]]:
    parts = (directive.split() for directive in policy.split(";") if directive.strip())
    return {name: sources for name, *sources in parts}


def _csp_hash(script: str) -> str:
    return f"'sha256-{b64encode(hashlib.sha256(script.encode()).digest()).decode()}'"


async def test_the_root_leads_to_the_dashboard_when_it_is_built(tmp_path: Path) -> None:
    async with _client(create_app(dashboard_dir=_built_dashboard(tmp_path))) as client:
        root = await client.get("/")
        landed = await client.get("/", follow_redirects=True)

    assert root.status_code == 307
    assert root.headers["location"] == "/app/"
    assert landed.status_code == 200
    assert "<title>co2calculator</title>" in landed.text


async def test_without_a_dashboard_the_root_leads_to_the_docs(tmp_path: Path) -> None:
    app = create_app(dashboard_dir=tmp_path / "dist")
    async with _client(app) as client:
        root = await client.get("/")
        head = await client.head("/")
        spec = (await client.get("/api/v1/openapi.json")).json()

    assert root.status_code == head.status_code == 307
    assert root.headers["location"] == "/docs"
    assert not {"/", "/docs", "/openapi.json", "/docs/oauth2-redirect"} & set(spec["paths"])
    assert not any(path.startswith("/docs") for path in spec["paths"])


async def test_the_docs_load_only_assets_of_this_server_and_each_answers(tmp_path: Path) -> None:
    async with _client(create_app(dashboard_dir=tmp_path)) as client:
        page = await client.get("/docs")
        urls = re.findall(r'(?:src|href)="([^"]*)"', page.text)
        assets = {url: await client.get(url) for url in urls}

    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "://" not in page.text  # no CDN, no validator, no external favicon
    assert "url: '/api/v1/openapi.json'" in page.text
    assert {url.rsplit("/", 1)[1] for url in urls} == {
        "swagger-ui-bundle.js",
        "swagger-ui.css",
        "favicon-32x32.png",
    }
    for url, asset in assets.items():
        assert url.startswith("/docs/assets/"), url
        assert asset.status_code == 200, url
        assert asset.headers["content-type"].startswith(_ASSET_TYPES[Path(url).suffix]), url
        assert len(asset.content) > 100, url


async def test_only_the_files_the_docs_need_are_served_from_the_package(tmp_path: Path) -> None:
    async with _client(create_app(dashboard_dir=tmp_path)) as client:
        refused = [
            await client.get(f"/docs/assets/{name}")
            for name in ("index.html", "swagger-initializer.js", "../__init__.py", "nope.js")
        ]

    assert (SWAGGER_UI_DIR / "index.html").is_file()  # there, but not served
    assert [response.status_code for response in refused] == [404] * 4
    assert all(r.headers["content-type"] == "application/problem+json" for r in refused)


def test_the_packaged_swagger_ui_renders_openapi_3_1() -> None:
    """Swagger UI renders OpenAPI 3.1 (our spec's version) from 5.0 on; swagger-ui-bundle 1.x
    ships 4.15.5, which shows "Unable to render this definition" instead."""
    version = re.fullmatch(r"swagger-ui-(\d+)\.(\d+)\.(\d+)", SWAGGER_UI_DIR.name)
    assert version is not None, SWAGGER_UI_DIR
    assert int(version[1]) >= 5


async def test_the_spec_is_also_served_at_openapi_json(tmp_path: Path) -> None:
    async with _client(create_app(dashboard_dir=tmp_path)) as client:
        alias = await client.get("/openapi.json")
        original = await client.get("/api/v1/openapi.json")

    assert alias.status_code == original.status_code == 200
    assert alias.headers["content-type"] == original.headers["content-type"]
    assert alias.json() == original.json()
    assert alias.json()["openapi"].startswith("3.1")


async def test_pages_get_a_policy_without_inline_scripts(tmp_path: Path) -> None:
    async with _client(create_app(dashboard_dir=_built_dashboard(tmp_path))) as client:
        pages = [await client.get(path) for path in ("/app/", "/docs", "/docs/oauth2-redirect")]

    for page in pages:
        assert page.status_code == 200
        assert SHARED.items() <= page.headers.items(), page.url
        assert page.headers["referrer-policy"] == "same-origin"
        policy = _directives(page.headers["content-security-policy"])
        assert policy["frame-ancestors"] == ["'none'"]
        assert policy["object-src"] == ["'none'"]
        assert policy["script-src"][0] == "'self'"
        assert "'unsafe-inline'" not in policy["script-src"]
        assert "'unsafe-eval'" not in policy["script-src"]
        assert "'unsafe-inline'" not in policy["default-src"]
        # Inline scripts: exactly those of the page, by hash.
        inline = re.findall(r"<script>(.*?)</script>", page.text, re.DOTALL)
        assert policy["script-src"][1:] == [_csp_hash(script) for script in inline]
    assert len(_directives(pages[1].headers["content-security-policy"])["script-src"]) == 2


async def test_everything_else_gets_a_policy_that_allows_nothing(tmp_path: Path) -> None:
    app = create_app(dashboard_dir=_built_dashboard(tmp_path))

    @app.get("/api/v1/crash", include_in_schema=False)
    async def crash() -> None:
        raise RuntimeError("a bug")

    async with _client(app) as client:
        responses = {
            "json": await client.get("/api/v1/health"),
            "spec": await client.get("/openapi.json"),
            "problem": await client.get("/api/v1/labs"),
            "not found": await client.get("/nope"),
            "redirect": await client.get("/"),
            "app asset": await client.get("/app/assets/index.js"),
            "docs asset": await client.get("/docs/assets/swagger-ui.css"),
            "500": await client.get("/api/v1/crash"),
        }

    assert responses["problem"].status_code == 401
    assert responses["500"].status_code == 500
    for kind, response in responses.items():
        assert SHARED.items() <= response.headers.items(), kind
        assert response.headers["referrer-policy"] == "no-referrer", kind
        policy = response.headers["content-security-policy"]
        assert policy == "default-src 'none'; frame-ancestors 'none'", kind


@pytest.mark.parametrize("path", ["/docs", "/api/v1/health"])
async def test_a_header_the_response_sets_is_kept(tmp_path: Path, path: str) -> None:
    """The docs page's own policy (with its script's hash) is not replaced by the default."""
    async with _client(create_app(dashboard_dir=tmp_path)) as client:
        response = await client.get(path)

    assert len(response.headers.get_list("content-security-policy")) == 1
    assert len(response.headers.get_list("x-content-type-options")) == 1
