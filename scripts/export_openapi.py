"""Write the app's OpenAPI document to `openapi/openapi.json`, byte-for-byte deterministic.

Nothing from the environment, git or the clock reaches the output: settings that the schema could
depend on are pinned here, keys keep FastAPI's order (which follows the code), and the JSON is
formatted with fixed indentation and a trailing newline.
"""

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "openapi" / "openapi.json"

# The spec must not vary with the machine's settings; none of these reach it, but pin them anyway.
_PINNED_ENVIRONMENT = {
    "JWT_SECRET": "openapi-export-placeholder-not-a-secret",
    "ENV": "development",
    "LOG_LEVEL": "WARNING",
}


def render_spec() -> str:
    for name, value in _PINNED_ENVIRONMENT.items():
        os.environ[name] = value
    os.environ.pop("DATABASE_URL", None)
    from app.main import create_app

    spec: dict[str, Any] = create_app().openapi()
    return json.dumps(spec, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--stdout", action="store_true", help="print instead of writing")
    args = parser.parse_args(argv)
    text = render_spec()
    if args.stdout:
        sys.stdout.write(text)
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    shown = args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output
    print(f"wrote {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
