"""Four eyes: the lead officer submits, an approver who is not the author approves or returns.

Each transition is one service of the same shape: lock the row, check the
permission predicate, check the publication rules where the step needs them,
run the transition, ``full_clean`` and save the changed fields, record the
audit event with its reasons, and send e-mail only once the transaction has
committed.
"""

from __future__ import annotations

from datetime import date
from functools import partial

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.audit import audit_record
from core.calendar import london_date
from core.exceptions import ApplicationError, PermissionRefused
from core.mail import absolute_url, send_after_commit
from core.models import OfficerRole, User
from core.permissions import has_role
from procurements.models import ApprovalReview, Procurement, ProcurementStatus, ReviewDecision
from procurements.permissions import (
    can_publish_procurement,
    can_review_procurement,
    can_submit_for_approval,
    is_author,
)
from procurements.rules import RuleBreach, publication_breaches
from procurements.services.engagement import interest_notify_published
from procurements.services.publication import publication_record
from procurements.services.sections import procurement_lock, procurement_save, wrong_state

AUTHOR_CANNOT_APPROVE = (
    "You cannot approve a procurement you wrote: another approver must (four eyes)."
)
COMMENTS_REQUIRED = "Say what needs to change: enter your comments for the lead officer."


class PublicationRulesBroken(ApplicationError):
    """The procurement breaks publication rules; ``extra["breaches"]`` lists every one."""

    def __init__(self, message: str, *, breaches: list[RuleBreach]):
        super().__init__(message, extra={"breaches": breaches})
        self.breaches = breaches


def _today() -> date:
    return london_date(timezone.now())


def _refuse_if_rules_broken(procurement: Procurement, *, doing: str) -> None:
    breaches = publication_breaches(procurement, today=_today())
    if breaches:
        count = len(breaches)
        raise PublicationRulesBroken(
            f"This procurement cannot be {doing} yet: {count} thing{'s' if count != 1 else ''} "
            f"{'need' if count != 1 else 'needs'} fixing first.",
            breaches=breaches,
        )


@transaction.atomic
def procurement_submit_for_approval(*, actor: User, procurement: Procurement) -> Procurement:
    """The lead officer submits a draft that breaks no publication rule for approval."""
    procurement = procurement_lock(procurement.pk)
    if not can_submit_for_approval(actor, procurement):
        if procurement.status != ProcurementStatus.DRAFT:
            raise wrong_state(procurement, "a draft", "submitted for approval")
        raise PermissionRefused(
            "Only the lead officer of this procurement can submit it for approval."
        )
    _refuse_if_rules_broken(procurement, doing="submitted for approval")
    procurement.submit_for_approval()
    procurement_save(procurement, "status")
    audit_record(
        actor=actor,
        action="procurement.submitted_for_approval",
        target=procurement,
        data={"from": ProcurementStatus.DRAFT, "to": procurement.status},
    )
    _email_after_commit(procurement, "submitted", to=procurement.approver)
    return procurement


def _review_refusal(actor: User, procurement: Procurement) -> ApplicationError:
    """Why ``actor`` may not approve or return ``procurement`` (four eyes first)."""
    if is_author(actor, procurement):
        return PermissionRefused(AUTHOR_CANNOT_APPROVE)
    if procurement.status != ProcurementStatus.AWAITING_APPROVAL:
        return wrong_state(procurement, "awaiting approval", "approved or returned")
    if not has_role(actor, procurement.borough, OfficerRole.APPROVER):
        return PermissionRefused(
            f"Only an approver of {procurement.borough.name} can approve or return this "
            "procurement."
        )
    return PermissionRefused(
        "This procurement names another approver: only they can approve or return it."
    )


def _decide(
    *, actor: User, procurement: Procurement, decision: str, comments: str
) -> ApprovalReview:
    """Record an approver's decision, make its transition, audit it and tell the lead officer.

    The callers have locked the procurement and checked the approver may decide.
    """
    review = ApprovalReview(
        procurement=procurement, decision=decision, comments=comments.strip(), reviewer=actor
    )
    review.full_clean()
    review.save()
    if decision == ReviewDecision.APPROVED:
        procurement.approve()
    else:
        procurement.return_to_draft()
    procurement_save(procurement, "status")
    audit_record(
        actor=actor,
        action=f"procurement.{decision}",
        target=procurement,
        data={
            "from": ProcurementStatus.AWAITING_APPROVAL,
            "to": procurement.status,
            "review_id": review.pk,
            "comments": review.comments,
        },
    )
    _email_after_commit(procurement, decision, to=procurement.lead_officer, review=review)
    return review


@transaction.atomic
def procurement_approve(
    *, actor: User, procurement: Procurement, comments: str = ""
) -> ApprovalReview:
    """An approver of the borough, never its author, approves it for publication."""
    procurement = procurement_lock(procurement.pk)
    if not can_review_procurement(actor, procurement):
        raise _review_refusal(actor, procurement)
    _refuse_if_rules_broken(procurement, doing="approved")
    return _decide(
        actor=actor, procurement=procurement, decision=ReviewDecision.APPROVED, comments=comments
    )


@transaction.atomic
def procurement_return(*, actor: User, procurement: Procurement, comments: str) -> ApprovalReview:
    """An approver returns it to the lead officer as a draft, saying what needs to change."""
    procurement = procurement_lock(procurement.pk)
    if not can_review_procurement(actor, procurement):
        raise _review_refusal(actor, procurement)
    if not (comments or "").strip():
        raise ApplicationError(COMMENTS_REQUIRED)
    return _decide(
        actor=actor, procurement=procurement, decision=ReviewDecision.RETURNED, comments=comments
    )


@transaction.atomic
def procurement_publish(*, actor: User, procurement: Procurement) -> Procurement:
    """The lead officer publishes an approved procurement, if its rules still hold today."""
    procurement = procurement_lock(procurement.pk)
    if not can_publish_procurement(actor, procurement):
        if procurement.status != ProcurementStatus.APPROVED:
            raise wrong_state(procurement, "approved", "published")
        raise PermissionRefused("Only the lead officer of this procurement can publish it.")
    # Checked again against today: a deadline may have come too close since approval.
    _refuse_if_rules_broken(procurement, doing="published")
    planned_notice_date = procurement.notice_date
    procurement.publish()
    # The tender notice goes out today, whatever day was planned: the frozen documents, the
    # ITT and the notice all give the day it was actually published.
    procurement.notice_date = london_date(procurement.published_at)
    procurement_save(procurement, "status", "published_at", "notice_date")
    # Version 1 of everything announced, the market engagement notice if due, the tender
    # notice of the regime, and the ITT request (rendered by a worker after commit).
    publication_record(procurement=procurement, actor=actor)
    audit_record(
        actor=actor,
        action="procurement.published",
        target=procurement,
        data={
            "from": ProcurementStatus.APPROVED,
            "to": procurement.status,
            "published_at": procurement.published_at.isoformat(),
            "notice_date": {
                "planned": planned_notice_date.isoformat() if planned_notice_date else None,
                "actual": procurement.notice_date.isoformat(),
            },
        },
    )
    _email_after_commit(procurement, "published", to=procurement.approver)
    # Everyone who followed the market engagement or the opportunity is told.
    transaction.on_commit(partial(interest_notify_published, procurement))
    return procurement


@transaction.atomic
def procurement_reopen(*, actor: User, procurement: Procurement, reason: str) -> Procurement:
    """The lead officer takes an approved procurement back to a draft to change it.

    For an approval that can no longer be published as is (a deadline has come
    too close): the draft needs approval again, so four eyes still hold.
    """
    procurement = procurement_lock(procurement.pk)
    # The lead officer of an approved procurement: the same people who may publish it.
    if not can_publish_procurement(actor, procurement):
        if procurement.status != ProcurementStatus.APPROVED:
            raise wrong_state(procurement, "approved", "reopened")
        raise PermissionRefused("Only the lead officer of this procurement can reopen it.")
    if not (reason or "").strip():
        raise ApplicationError("Enter why the procurement needs to change.")
    procurement.return_to_draft()
    procurement_save(procurement, "status")
    audit_record(
        actor=actor,
        action="procurement.reopened",
        target=procurement,
        data={
            "from": ProcurementStatus.APPROVED,
            "to": procurement.status,
            "reason": reason.strip(),
        },
    )
    _email_after_commit(procurement, "reopened", to=procurement.approver, reason=reason.strip())
    return procurement


# --- e-mail ------------------------------------------------------------------------------------


def _email_after_commit(
    procurement: Procurement,
    event: str,
    *,
    to: User | None,
    review: ApprovalReview | None = None,
    reason: str = "",
) -> None:
    """Send the e-mail for ``event`` once the transaction commits; nothing if it rolls back."""
    if to is None or not to.email:
        return
    send_after_commit(
        template=f"procurements/approval/email/{event}",
        context={
            "procurement": procurement,
            "review": review,
            "reason": reason,
            "recipient": to,
            "url": _page_url(procurement, event),
        },
        recipients=[to.email],
    )


def _page_url(procurement: Procurement, event: str) -> str:
    name = "procurements:review" if event == "submitted" else "procurements:task-list"
    return absolute_url(reverse(name, kwargs={"pk": procurement.pk}))
