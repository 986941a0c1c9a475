"""The example dashboard is served at /app/ only when it has been built, and never in the spec."""

from pathlib import Path

import httpx
import pytest

from app.main import create_app


def _client(dashboard_dir: Path) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=create_app(dashboard_dir=dashboard_dir))
    return httpx.AsyncClient(transport=transport, base_url="http://test")


@pytest.mark.anyio
async def test_a_built_dashboard_is_served_at_app(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<!doctype html><title>co2calculator</title>")
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "index.js").write_text("console.log(1)")
    async with _client(tmp_path) as client:
        page = await client.get("/app/")
        script = await client.get("/app/assets/index.js")
        bare = await client.get("/app")
        missing = await client.get("/app/assets/nope.js")
        spec = (await client.get("/api/v1/openapi.json")).json()

    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "<title>co2calculator</title>" in page.text
    assert script.status_code == 200
    assert bare.status_code in (301, 307)
    assert bare.headers["location"].endswith("/app/")
    assert missing.status_code == 404
    assert not any(path.startswith("/app") for path in spec["paths"])


@pytest.mark.anyio
async def test_a_deep_link_of_the_app_gets_its_page_and_a_missing_asset_does_not(
    tmp_path: Path,
) -> None:
    (tmp_path / "index.html").write_text("<!doctype html><title>co2calculator</title>")
    (tmp_path / "assets").mkdir()
    async with _client(tmp_path) as client:
        deep = await client.get("/app/labs/0b8c/2026/entries")
        profile = await client.get("/app/profile")
        asset = await client.get("/app/assets/index-abc123.js")
        image = await client.get("/app/labs/logo.png")

    for page in (deep, profile):
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        assert "<title>co2calculator</title>" in page.text
        assert page.headers["x-content-type-options"] == "nosniff"
    assert asset.status_code == 404
    assert image.status_code == 404


@pytest.mark.anyio
async def test_a_reload_gets_the_page_again_with_its_policy_not_a_304(tmp_path: Path) -> None:
    """A 304 carries no content type, so it would get the non-page policy (default-src 'none'),
    and the browser would apply that to its cached page: the reload would show nothing."""
    (tmp_path / "index.html").write_text("<!doctype html><title>co2calculator</title>")
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "index.js").write_text("console.log(1)")
    async with _client(tmp_path) as client:
        first = await client.get("/app/labs/0b8c/2026")
        script = await client.get("/app/assets/index.js")
        again = {"if-none-match": first.headers["etag"]}
        reload = await client.get("/app/labs/0b8c/2026", headers=again)
        script_again = await client.get(
            "/app/assets/index.js", headers={"if-none-match": script.headers["etag"]}
        )

    assert reload.status_code == 200
    assert reload.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in reload.headers["content-security-policy"]
    assert script_again.status_code == 304  # assets are still revalidated


@pytest.mark.anyio
async def test_without_a_build_there_is_no_page(tmp_path: Path) -> None:
    async with _client(tmp_path / "dist") as client:
        page = await client.get("/app/")
        health = await client.get("/api/v1/health")

    assert page.status_code == 404
    assert page.headers["content-type"].startswith("application/problem+json")
    assert health.status_code == 200
