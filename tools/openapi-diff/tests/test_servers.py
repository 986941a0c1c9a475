"""rules/servers.py: generated clients take their default base URL from `servers`."""

from builders import Schema, api, breaking, changelog


def served(*urls: str) -> Schema:
    doc = api()
    doc["servers"] = [{"url": url} for url in urls]
    return doc


def test_removed_server_is_breaking() -> None:
    assert breaking(served("/", "https://co2.example"), served("/")) == {
        "server-removed: servers https://co2.example"
    }


def test_added_server_is_a_changelog_line() -> None:
    assert breaking(api(), served("/")) == set()
    assert changelog(api(), served("/")) == {"server-added: servers /"}
