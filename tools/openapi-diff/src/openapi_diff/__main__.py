import sys

from openapi_diff.cli import main

sys.exit(main())
