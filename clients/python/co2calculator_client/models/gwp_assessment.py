from enum import StrEnum


class GwpAssessment(StrEnum):
    AR5 = "ar5"
    AR6 = "ar6"

    def __str__(self) -> str:
        return str(self.value)
