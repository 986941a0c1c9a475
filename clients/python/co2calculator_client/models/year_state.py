from enum import StrEnum


class YearState(StrEnum):
    OPEN = "open"
    SUBMITTED = "submitted"
    VALIDATED = "validated"

    def __str__(self) -> str:
        return str(self.value)
