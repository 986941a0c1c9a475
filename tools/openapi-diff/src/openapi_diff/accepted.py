"""The accepted list (`openapi/BREAKING.md`): deliberate breaking changes, each with a reason.

An entry is a markdown list item outside code blocks: `` - `<identifier>`: <reason> ``. An
entry without a reason accepts nothing."""

import re
from pathlib import Path

from openapi_diff.model import SpecError

_ACCEPTED_ENTRY = re.compile(r"^[-*+]\s+`(?P<identifier>[^`]+)`\s*:\s*(?P<reason>.*?)\s*$")


def load_accepted(path: Path | None) -> dict[str, str]:
    """`identifier -> reason` from the list items of `path`; a missing file accepts nothing."""
    if path is None or not path.exists():
        return {}
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SpecError(f"{path}: cannot read ({error})") from error
    return parse_accepted(text)


def parse_accepted(text: str) -> dict[str, str]:
    accepted: dict[str, str] = {}
    fenced = False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif (match := _ACCEPTED_ENTRY.match(line)) and not fenced:
            accepted[match["identifier"].strip()] = match["reason"]
    return accepted
