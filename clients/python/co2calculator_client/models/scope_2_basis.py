from enum import StrEnum


class Scope2Basis(StrEnum):
    LOCATION = "location"
    MARKET = "market"

    def __str__(self) -> str:
        return str(self.value)
