"""Moved: the breaking-change checker is the `openapi_diff` package (tools/openapi-diff).

`python -m scripts.openapi_diff BASE HEAD [--accepted openapi/BREAKING.md]` still works and runs
`python -m openapi_diff`; its rules and policy are in tools/openapi-diff/README.md.
"""

import sys

from openapi_diff import main

if __name__ == "__main__":
    sys.exit(main())
