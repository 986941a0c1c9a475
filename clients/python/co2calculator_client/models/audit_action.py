from enum import StrEnum


class AuditAction(StrEnum):
    API_KEY_CREATED = "api_key.created"
    API_KEY_REVOKED = "api_key.revoked"
    ENTRY_CREATED = "entry.created"
    ENTRY_DELETED = "entry.deleted"
    ENTRY_UPDATED = "entry.updated"
    FACTOR_CREATED = "factor.created"
    FACTOR_DELETED = "factor.deleted"
    FACTOR_UPDATED = "factor.updated"
    HEADCOUNT_DELETED = "headcount.deleted"
    HEADCOUNT_REPLACED = "headcount.replaced"
    IMPORT_CANCELLED = "import.cancelled"
    IMPORT_SUCCEEDED = "import.succeeded"
    IMPORT_UNDONE = "import.undone"
    INVITATION_CREATED = "invitation.created"
    INVITATION_REVOKED = "invitation.revoked"
    LAB_CREATED = "lab.created"
    LAB_DELETED = "lab.deleted"
    LAB_UPDATED = "lab.updated"
    MEMBER_ADDED = "member.added"
    MEMBER_REMOVED = "member.removed"
    MEMBER_UPDATED = "member.updated"
    RECALCULATION_SUCCEEDED = "recalculation.succeeded"
    TARGET_DELETED = "target.deleted"
    TARGET_REPLACED = "target.replaced"
    USER_CREATED = "user.created"
    USER_DEACTIVATED = "user.deactivated"
    USER_UPDATED = "user.updated"
    YEAR_REOPENED = "year.reopened"
    YEAR_SENT_BACK = "year.sent_back"
    YEAR_SUBMITTED = "year.submitted"
    YEAR_VALIDATED = "year.validated"

    def __str__(self) -> str:
        return str(self.value)
