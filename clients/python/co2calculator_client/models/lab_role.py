from enum import StrEnum


class LabRole(StrEnum):
    CONTRIBUTOR = "contributor"
    MANAGER = "manager"
    VIEWER = "viewer"

    def __str__(self) -> str:
        return str(self.value)
