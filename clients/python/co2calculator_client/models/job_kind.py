from enum import StrEnum


class JobKind(StrEnum):
    ACTIVITIES = "activities"
    FACTORS = "factors"
    FACTOR_SYNC = "factor_sync"
    RECALCULATE = "recalculate"

    def __str__(self) -> str:
        return str(self.value)
