"""Contains all the data models used in inputs/outputs"""

from .api_key_create import ApiKeyCreate
from .api_key_created import ApiKeyCreated
from .api_key_public import ApiKeyPublic
from .audit_action import AuditAction
from .audit_event_page import AuditEventPage
from .audit_event_public import AuditEventPublic
from .audit_event_public_changes import AuditEventPublicChanges
from .audit_object import AuditObject
from .body_import_headcount import BodyImportHeadcount
from .body_upload_activities import BodyUploadActivities
from .body_upload_factors import BodyUploadFactors
from .browser_session import BrowserSession
from .cabin_class import CabinClass
from .category_per_fte import CategoryPerFte
from .category_total import CategoryTotal
from .entry_create import EntryCreate
from .entry_kind import EntryKind
from .entry_page import EntryPage
from .entry_public import EntryPublic
from .entry_update import EntryUpdate
from .equipment_activity import EquipmentActivity
from .equipment_entry_create import EquipmentEntryCreate
from .error_policy import ErrorPolicy
from .factor_category import FactorCategory
from .factor_create import FactorCreate
from .factor_page import FactorPage
from .factor_public import FactorPublic
from .factor_share import FactorShare
from .factor_update import FactorUpdate
from .field_error import FieldError
from .flight_activity import FlightActivity
from .flight_entry_create import FlightEntryCreate
from .get_institution_report_format_type_0 import GetInstitutionReportFormatType0
from .get_lab_report_format_type_0 import GetLabReportFormatType0
from .gwp_assessment import GwpAssessment
from .headcount_create import HeadcountCreate
from .headcount_figures import HeadcountFigures
from .headcount_public import HeadcountPublic
from .headcount_replace import HeadcountReplace
from .headcount_year_public import HeadcountYearPublic
from .health_status import HealthStatus
from .institution_report import InstitutionReport
from .institution_target_progress import InstitutionTargetProgress
from .institution_target_public import InstitutionTargetPublic
from .invitation_create import InvitationCreate
from .invitation_public import InvitationPublic
from .job_event import JobEvent
from .job_kind import JobKind
from .job_page import JobPage
from .job_public import JobPublic
from .job_state import JobState
from .job_status import JobStatus
from .job_stream_ready import JobStreamReady
from .job_stream_resync import JobStreamResync
from .lab_category_row import LabCategoryRow
from .lab_create import LabCreate
from .lab_page import LabPage
from .lab_per_fte import LabPerFte
from .lab_public import LabPublic
from .lab_replace import LabReplace
from .lab_report import LabReport
from .lab_role import LabRole
from .lab_update import LabUpdate
from .list_lab_entries_order import ListLabEntriesOrder
from .login_form import LoginForm
from .member_create import MemberCreate
from .member_public import MemberPublic
from .member_update import MemberUpdate
from .month_total import MonthTotal
from .my_invitation import MyInvitation
from .password_change import PasswordChange
from .problem_details import ProblemDetails
from .purchase_activity import PurchaseActivity
from .purchase_entry_create import PurchaseEntryCreate
from .refresh_request import RefreshRequest
from .refrigerant_activity import RefrigerantActivity
from .refrigerant_entry_create import RefrigerantEntryCreate
from .report_sign_off import ReportSignOff
from .rollover import Rollover
from .row_error import RowError
from .scope_2_basis import Scope2Basis
from .scope_2_basis_total import Scope2BasisTotal
from .scope_total import ScopeTotal
from .signed_category_total import SignedCategoryTotal
from .signed_figures import SignedFigures
from .signed_scope_total import SignedScopeTotal
from .staff_category import StaffCategory
from .staff_share import StaffShare
from .target_progress import TargetProgress
from .target_public import TargetPublic
from .target_put import TargetPut
from .target_year import TargetYear
from .token_pair import TokenPair
from .uncertainty import Uncertainty
from .user_create import UserCreate
from .user_me_update import UserMeUpdate
from .user_page import UserPage
from .user_public import UserPublic
from .user_role import UserRole
from .user_update import UserUpdate
from .year_action import YearAction
from .year_state import YearState
from .year_status_public import YearStatusPublic
from .year_transition_public import YearTransitionPublic
from .year_transition_request import YearTransitionRequest
from .year_transition_with_reason import YearTransitionWithReason

__all__ = (
    "ApiKeyCreate",
    "ApiKeyCreated",
    "ApiKeyPublic",
    "AuditAction",
    "AuditEventPage",
    "AuditEventPublic",
    "AuditEventPublicChanges",
    "AuditObject",
    "BodyImportHeadcount",
    "BodyUploadActivities",
    "BodyUploadFactors",
    "BrowserSession",
    "CabinClass",
    "CategoryPerFte",
    "CategoryTotal",
    "EntryCreate",
    "EntryKind",
    "EntryPage",
    "EntryPublic",
    "EntryUpdate",
    "EquipmentActivity",
    "EquipmentEntryCreate",
    "ErrorPolicy",
    "FactorCategory",
    "FactorCreate",
    "FactorPage",
    "FactorPublic",
    "FactorShare",
    "FactorUpdate",
    "FieldError",
    "FlightActivity",
    "FlightEntryCreate",
    "GetInstitutionReportFormatType0",
    "GetLabReportFormatType0",
    "GwpAssessment",
    "HeadcountCreate",
    "HeadcountFigures",
    "HeadcountPublic",
    "HeadcountReplace",
    "HeadcountYearPublic",
    "HealthStatus",
    "InstitutionReport",
    "InstitutionTargetProgress",
    "InstitutionTargetPublic",
    "InvitationCreate",
    "InvitationPublic",
    "JobEvent",
    "JobKind",
    "JobPage",
    "JobPublic",
    "JobState",
    "JobStatus",
    "JobStreamReady",
    "JobStreamResync",
    "LabCategoryRow",
    "LabCreate",
    "LabPage",
    "LabPerFte",
    "LabPublic",
    "LabReplace",
    "LabReport",
    "LabRole",
    "LabUpdate",
    "ListLabEntriesOrder",
    "LoginForm",
    "MemberCreate",
    "MemberPublic",
    "MemberUpdate",
    "MonthTotal",
    "MyInvitation",
    "PasswordChange",
    "ProblemDetails",
    "PurchaseActivity",
    "PurchaseEntryCreate",
    "RefreshRequest",
    "RefrigerantActivity",
    "RefrigerantEntryCreate",
    "ReportSignOff",
    "Rollover",
    "RowError",
    "Scope2Basis",
    "Scope2BasisTotal",
    "ScopeTotal",
    "SignedCategoryTotal",
    "SignedFigures",
    "SignedScopeTotal",
    "StaffCategory",
    "StaffShare",
    "TargetProgress",
    "TargetPublic",
    "TargetPut",
    "TargetYear",
    "TokenPair",
    "Uncertainty",
    "UserCreate",
    "UserMeUpdate",
    "UserPage",
    "UserPublic",
    "UserRole",
    "UserUpdate",
    "YearAction",
    "YearState",
    "YearStatusPublic",
    "YearTransitionPublic",
    "YearTransitionRequest",
    "YearTransitionWithReason",
)
