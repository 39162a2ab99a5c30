from .accounts import (
    Borough,
    OfficerMembership,
    OfficerRole,
    SupplierInvitation,
    SupplierMembership,
    SupplierOrganisation,
    SupplierRole,
    User,
)
from .audit import AuditEvent
from .calendar import BankHoliday
from .documents import DocumentStatus, GeneratedDocument

__all__ = [
    "AuditEvent",
    "BankHoliday",
    "Borough",
    "DocumentStatus",
    "GeneratedDocument",
    "OfficerMembership",
    "OfficerRole",
    "SupplierInvitation",
    "SupplierMembership",
    "SupplierOrganisation",
    "SupplierRole",
    "User",
]
