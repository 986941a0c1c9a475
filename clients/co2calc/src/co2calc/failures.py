"""Exit statuses, and every failure as one line `co2calc: <reason>` on stderr, never a traceback."""

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus

import httpx
from co2calculator_client import errors
from co2calculator_client.models import ProblemDetails

from co2calc.output import err

EXIT_ERROR = 1
EXIT_JOB_FAILED = 3
EXIT_INTERRUPTED = 130
DEBUG_ENV = "CO2CALC_DEBUG"  # set to 1 to see a traceback instead of the one-line message
_STATUSES = frozenset(status.value for status in HTTPStatus)


class Failure(Exception):
    """A reason to stop: one line for the user, and the exit status."""

    def __init__(self, message: str, exit_code: int = EXIT_ERROR) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def problem_text(problem: ProblemDetails, retry_after: str | None = None) -> str:
    """A problem+json answer as `title (status): detail [field: message]`."""
    text = f"{problem.title} ({problem.status})"
    if isinstance(problem.detail, str) and problem.detail and problem.detail != problem.title:
        text += f": {problem.detail}"
    if isinstance(problem.errors, list) and problem.errors:
        fields = (f"{'.'.join(str(p) for p in e.loc)}: {e.msg}" for e in problem.errors)
        text += " [" + "; ".join(fields) + "]"
    if retry_after:
        text += f" (retry after {retry_after} s)"
    return text


@contextmanager
def one_line_errors() -> Iterator[None]:
    """Every failure ends as `co2calc: <reason>` on stderr and a non-zero exit status."""
    try:
        yield
    except Failure as failure:
        _exit(str(failure), failure.exit_code)
    except errors.UnexpectedStatus as error:  # a status the spec does not declare there
        _exit(_unexpected_status_text(error))
    except httpx.TimeoutException as error:
        _exit(f"no answer from {_where(error)} in time ({error or 'timeout'}); try --timeout")
    except httpx.TransportError as error:
        _exit(f"cannot reach {_where(error)}: {error}")
    except OSError as error:  # e.g. the report's output file cannot be written
        _exit(f"{error.strerror or error}: {error.filename or ''}".rstrip(": "))
    except Exception as error:
        if os.environ.get(DEBUG_ENV):
            raise
        text = " ".join(str(error).split())  # one line
        _exit(f"unexpected error ({type(error).__name__}: {text}); {DEBUG_ENV}=1 shows more")


def _unexpected_status_text(error: errors.UnexpectedStatus) -> str:
    try:
        problem = ProblemDetails.from_dict(json.loads(error.content))
    except (ValueError, KeyError, TypeError):
        phrase = HTTPStatus(error.status_code).phrase if error.status_code in _STATUSES else ""
        return f"unexpected answer HTTP {error.status_code} {phrase}".rstrip()
    return problem_text(problem)


def _where(error: httpx.RequestError) -> str:
    try:
        url = error.request.url
    except RuntimeError:
        return "the server"
    return f"{url.scheme}://{url.netloc.decode()}"


def _exit(message: str, code: int = EXIT_ERROR) -> None:
    err.print(f"co2calc: {message}", markup=False, soft_wrap=True)
    raise SystemExit(code)
