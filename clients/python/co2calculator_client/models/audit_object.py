from enum import StrEnum


class AuditObject(StrEnum):
    API_KEY = "api_key"
    ENTRY = "entry"
    FACTOR = "factor"
    HEADCOUNT = "headcount"
    IMPORT = "import"
    INVITATION = "invitation"
    LAB = "lab"
    MEMBER = "member"
    RECALCULATION = "recalculation"
    TARGET = "target"
    USER = "user"
    YEAR = "year"

    def __str__(self) -> str:
        return str(self.value)
