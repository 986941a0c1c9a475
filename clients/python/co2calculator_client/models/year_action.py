from enum import StrEnum


class YearAction(StrEnum):
    REOPEN = "reopen"
    SEND_BACK = "send_back"
    SUBMIT = "submit"
    VALIDATE = "validate"

    def __str__(self) -> str:
        return str(self.value)
