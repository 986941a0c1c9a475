from enum import StrEnum


class StaffCategory(StrEnum):
    PHD_STUDENTS = "phd_students"
    PROFESSORS = "professors"
    RESEARCHERS = "researchers"
    STUDENTS = "students"
    TECHNICAL_ADMINISTRATIVE = "technical_administrative"

    def __str__(self) -> str:
        return str(self.value)
