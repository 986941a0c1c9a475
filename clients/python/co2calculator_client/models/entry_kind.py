from enum import StrEnum


class EntryKind(StrEnum):
    EQUIPMENT = "equipment"
    FLIGHT = "flight"
    PURCHASE = "purchase"
    QUANTITY = "quantity"
    REFRIGERANT = "refrigerant"

    def __str__(self) -> str:
        return str(self.value)
