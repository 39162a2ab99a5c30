"""Supplier side: the selection questionnaire, requests to participate (alone or as a
consortium) with their evidence and exclusion declarations, and the debarment list."""

from .questionnaire import (
    QUESTION_FIELDS,
    REQUIRED_SCORED_TOPICS,
    QuestionKind,
    QuestionTopic,
    SelectionQuestion,
    selection_questionnaire_problems,
    selection_topics_unscored,
)
from .requests import (
    CHANGEABLE,
    ConsortiumMember,
    DebarmentEntry,
    EvidenceFile,
    EvidenceKind,
    EvidenceLibraryItem,
    ExclusionDeclaration,
    ParticipationRequest,
    RequestAnswer,
    RequestStatus,
    RequestSubmission,
    Subcontractor,
)

__all__ = [
    "CHANGEABLE",
    "QUESTION_FIELDS",
    "REQUIRED_SCORED_TOPICS",
    "ConsortiumMember",
    "DebarmentEntry",
    "EvidenceFile",
    "EvidenceKind",
    "EvidenceLibraryItem",
    "ExclusionDeclaration",
    "ParticipationRequest",
    "QuestionKind",
    "QuestionTopic",
    "RequestAnswer",
    "RequestStatus",
    "RequestSubmission",
    "SelectionQuestion",
    "Subcontractor",
    "selection_questionnaire_problems",
    "selection_topics_unscored",
]
