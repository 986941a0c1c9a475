"""Typed answers of the generated client, or a Failure; and looking a lab up by its code."""

from typing import TypeVar
from uuid import UUID

from co2calculator_client import AuthenticatedClient
from co2calculator_client.api.labs import list_labs
from co2calculator_client.models import ProblemDetails
from co2calculator_client.types import UNSET, Response, Unset

from co2calc.failures import Failure, problem_text

PAGE_SIZE = 200  # the API's largest page

T = TypeVar("T")


def parsed(response: Response[T | ProblemDetails]) -> T:
    """The typed answer, or a Failure with the problem+json text."""
    answer = response.parsed
    if isinstance(answer, ProblemDetails):
        raise Failure(problem_text(answer, response.headers.get("retry-after")))
    if answer is None:  # only without raise_on_unexpected_status; kept for safety
        raise Failure(f"unexpected answer: HTTP {response.status_code}")
    return answer


def lab_id(client: AuthenticatedClient, lab: str) -> UUID:
    """A lab given by id or by code (resolved among the labs the caller can see)."""
    try:
        return UUID(lab)
    except ValueError:
        pass
    cursor: str | Unset = UNSET
    while True:
        page = parsed(
            list_labs.sync_detailed(client=client, search=lab, limit=PAGE_SIZE, cursor=cursor)
        )
        for found in page.items:
            if found.code.casefold() == lab.casefold():
                return found.id
        if not isinstance(page.next_cursor, str):
            raise Failure(f"no lab with the code {lab!r} among the labs you can see")
        cursor = page.next_cursor
