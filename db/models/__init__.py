"""Every mapped table, imported so that ``Base.metadata`` is complete."""

from db.base import Base
from db.models.cases import (
    CheckOutMemo,
    CostItem,
    CourtProduction,
    DetentionOrder,
    LiableParty,
    Payment,
    RemovalCase,
)
from db.models.custody import (
    DEATH_PLACES,
    DETENTION_STATUSES,
    MOVEMENT_KINDS,
    CashEntry,
    CustodyJourney,
    DeathNotification,
    DeathRecord,
    DetaineeNumberSequence,
    Detention,
    DetentionStage,
    FamilyLink,
    Headcount,
    HeadcountEntry,
    Movement,
    PropertyItem,
    Visit,
)
from db.models.locations import CELL_CATEGORIES, Block, Cell, Depot
from db.models.medical import (
    EXAM_KINDS,
    REFERRAL_STATES,
    TRAVEL_STATES,
    MedicalCondition,
    MedicalCurrent,
    MedicalExam,
    MedicalFindings,
    MedicalInjury,
    MedicalReferral,
)
from db.models.people import (
    DOCUMENT_TYPES,
    Employer,
    IdentityDocument,
    ImmigrationPass,
    Person,
    PersonAlias,
    PersonNameToken,
    Photo,
)
from db.models.printing import (
    CARD_REASONS,
    DetaineeCard,
    DocumentSequence,
    PrintedDocumentSubject,
    SigningKey,
)
from db.models.security import (
    ROLES,
    AuditEvent,
    AuditHead,
    LegalRule,
    PrintedDocument,
    Setting,
    User,
    UserRole,
)

__all__ = [
    "Base", "CheckOutMemo", "CostItem", "CourtProduction", "DetentionOrder", "LiableParty",
    "Payment", "RemovalCase", "DETENTION_STATUSES", "MOVEMENT_KINDS", "CashEntry", "DEATH_PLACES", "DeathNotification", "DeathRecord",
    "CustodyJourney", "DetaineeNumberSequence", "Detention", "DetentionStage", "FamilyLink", "Headcount",
    "HeadcountEntry", "Movement", "PropertyItem", "Visit", "EXAM_KINDS", "REFERRAL_STATES", "TRAVEL_STATES", "MedicalCondition", "MedicalCurrent",
    "MedicalExam",
    "MedicalFindings", "MedicalInjury", "MedicalReferral", "CELL_CATEGORIES", "Block", "Cell",
    "Depot", "DOCUMENT_TYPES", "Employer", "IdentityDocument", "ImmigrationPass", "Person",
    "PersonAlias", "PersonNameToken", "Photo", "ROLES", "AuditEvent", "AuditHead", "LegalRule", "PrintedDocument",
    "Setting", "User", "UserRole", "CARD_REASONS", "DetaineeCard", "DocumentSequence",
    "PrintedDocumentSubject", "SigningKey",
]
