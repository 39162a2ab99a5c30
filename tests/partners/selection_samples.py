"""Procurements in selection, with requests received, named evaluators, and the marks,
consensus and shortlist the assessment tests give them through the services."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from core.models import OfficerRole, SupplierRole, User
from partners.models import (
    ConsortiumMember,
    ExclusionDeclaration,
    ParticipationRequest,
    RequestSubmission,
    SelectionQuestion,
    Shortlist,
)
from partners.scoring import Mark, scale_maximum
from partners.services_requests import request_submit
from partners.services_selection import (
    conflicts_declare,
    consensus_save,
    evaluator_marks_save,
    shortlist_propose,
)
from partners.submission import exclusion_grounds, published_questions
from procurements.models import Procurement
from tests import factories
from tests.partners.request_samples import a_request, answer_everything, open_call
from tests.partners.test_selection_page import close, submitted

REASON = "Evidence of three funded pilots with named councils."


@dataclass
class Selection:
    procurement: Procurement
    requests: list[ParticipationRequest]

    @property
    def questions(self) -> list[SelectionQuestion]:
        return published_questions(self.procurement)

    @property
    def maximum(self) -> int:
        return scale_maximum(self.procurement.scoring_scale)

    def refresh(self) -> Selection:
        self.procurement.refresh_from_db()
        for request in self.requests:
            request.refresh_from_db()
        return self


def second_evaluator(personas) -> User:
    return factories.officer(
        personas.borough_a, OfficerRole.EVALUATOR, email="evaluator-a2@example.org"
    )


def suppliers(personas, count: int) -> list[tuple[object, User]]:
    """Organisations A and B with their admins, then new organisations as needed."""
    known = [
        (personas.org_a, personas.supplier_a_admin),
        (personas.org_b, personas.supplier_b_admin),
    ]
    extra = []
    for number in range(max(0, count - len(known))):
        # The same ones again when a test builds several samples (the accessibility sweep).
        email = f"s{number + 3}-admin@example.org"
        admin = User.objects.filter(email=email).first()
        if admin is None:
            organisation = factories.SupplierOrganisationFactory(name=f"Supplier {number + 3} Ltd")
            admin = factories.supplier(organisation, SupplierRole.ADMIN, email=email)
        extra.append((admin.supplier_membership.organisation, admin))
    return (known + extra)[:count]


def submitted_with_member_c(personas, procurement) -> ParticipationRequest:
    """Organisation A's request, leading a consortium with organisation C (confirmed, its
    exclusion grounds declared), submitted."""
    request = a_request(personas, procurement)
    ParticipationRequest.objects.filter(pk=request.pk).update(is_consortium=True)
    request.refresh_from_db()
    ConsortiumMember.objects.create(
        request=request,
        organisation=personas.org_c,
        role="Sensors and data",
        share_of_work=30,
        confirmed_at=timezone.now(),
    )
    answer_everything(personas, request)
    for ground in exclusion_grounds(procurement):
        ExclusionDeclaration.objects.create(
            request=request,
            organisation=personas.org_c,
            ground=ground.key,
            applies=False,
            declared_by=personas.consortium_member,
        )
    request_submit(actor=personas.supplier_a_admin, request=request)
    request.refresh_from_db()
    return request


def in_selection(
    personas,
    *,
    requests: int = 3,
    evaluators: Iterable[User] | None = None,
    number_to_invite: int | None = None,
    member_c: bool = False,
) -> Selection:
    """A call of borough A (a pass/fail question and a scored one, on the 0-5 scale) with
    ``requests`` requests submitted, past its deadline and so in selection, with
    ``evaluators`` (evaluator A unless told otherwise) named on it. With ``member_c`` the
    first request (organisation A's) leads a consortium with organisation C."""
    procurement = open_call(personas)
    Procurement.objects.filter(pk=procurement.pk).update(number_to_invite=number_to_invite)
    received = []
    for number, (organisation, admin) in enumerate(suppliers(personas, requests)):
        if number == 0 and member_c:
            received.append(submitted_with_member_c(personas, procurement))
        else:
            received.append(submitted(personas, procurement, organisation, admin))
    close(procurement)
    procurement.refresh_from_db()
    procurement.evaluators.add(*(evaluators if evaluators is not None else [personas.evaluator_a]))
    for request in received:
        request.refresh_from_db()
    return Selection(procurement=procurement, requests=received)


# --- marks ----------------------------------------------------------------------------------


def marks(
    selection: Selection, *, score: int | None = None, passed: bool = True, reason: str = REASON
) -> dict[int, Mark]:
    """A mark for every question: ``passed`` for the pass/fail ones, ``score`` (the top of the
    scale unless told) for the scored ones, each with ``reason``."""
    score = selection.maximum if score is None else score
    return {
        question.pk: Mark(score=score, reason=reason)
        if question.is_scored
        else Mark(passed=passed, reason=reason)
        for question in selection.questions
    }


def declare_no_conflict(
    evaluator: User, selection: Selection, *, conflicts: dict[int, str] | None = None
) -> None:
    """The evaluator declares no conflict with any request, except those in ``conflicts``
    (request id -> details)."""
    conflicts = conflicts or {}
    conflicts_declare(
        actor=evaluator,
        procurement=selection.procurement,
        declarations={
            request.pk: (request.pk in conflicts, conflicts.get(request.pk, ""))
            for request in selection.requests
        },
    )


def complete(evaluator: User, request: ParticipationRequest, given: dict[int, Mark]) -> None:
    evaluator_marks_save(actor=evaluator, request=request, marks=given, complete=True)


def moderate(personas, request: ParticipationRequest, given: dict[int, Mark]) -> None:
    consensus_save(actor=personas.officer_a, request=request, marks=given)


def assess(
    personas,
    selection: Selection,
    *,
    scores: list[int],
    failed: Iterable[int] = (),
    evaluators: Iterable[User] | None = None,
) -> None:
    """Every evaluator declares no conflict and completes every request, and the lead officer
    moderates each to the same marks: request ``n`` scores ``scores[n]`` and passes its
    pass/fail question unless ``n`` is in ``failed``."""
    evaluators = list(evaluators if evaluators is not None else [personas.evaluator_a])
    failed = set(failed)
    for evaluator in evaluators:
        declare_no_conflict(evaluator, selection)
    for number, (request, score) in enumerate(zip(selection.requests, scores, strict=True)):
        given = marks(selection, score=score, passed=number not in failed)
        for evaluator in evaluators:
            complete(evaluator, request, given)
        moderate(personas, request, given)


def propose(personas, selection: Selection, chosen: Iterable[ParticipationRequest]) -> Shortlist:
    return shortlist_propose(
        actor=personas.officer_a,
        procurement=selection.procurement,
        chosen=[request.pk for request in chosen],
        reason="The three best-ranked requests, as the invitation to tender announced.",
    )


# --- for the permission matrix and the page tests ----------------------------------------


def procurement_in_selection(personas):
    """A call of borough A whose deadline has passed, with supplier A's request received and
    evaluator A named on it (not yet declared)."""
    procurement = open_call(personas)
    request = submitted(personas, procurement, personas.org_a, personas.supplier_a_admin)
    procurement.evaluators.add(personas.evaluator_a)
    close(procurement)
    return Procurement.objects.get(pk=procurement.pk), request


def with_evidence_file(personas) -> dict[str, Any]:
    """The request received holds an evidence file in its last submission."""
    import tests.permission_matrix  # noqa: F401  (first: it loads every tests.matrix module)
    from tests.matrix.evidence import _stored_file

    procurement, request = procurement_in_selection(personas)
    answer = request.answers.filter(question__kind="scored").first()
    evidence = _stored_file(personas, answer=answer)
    submission = request.submissions.get()
    for item in submission.content["answers"]:
        if item["question_id"] == answer.question_id:
            item["files"] = [
                {
                    "name": evidence.name,
                    "size": evidence.size,
                    "sha256": evidence.sha256,
                    "content_type": evidence.content_type,
                }
            ]
    RequestSubmission.objects.filter(pk=submission.pk).update(content=submission.content)
    return {"pk": procurement.pk, "request_pk": request.pk, "sha256": evidence.sha256}
