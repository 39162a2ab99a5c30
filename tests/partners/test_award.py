"""The award decision: the lead officer's proposal (best-ranked compliant tenders up to the
maximum number of partners), the approver's decision (four eyes), the assessment summaries
(PA 2023 s.50) as real PDFs read back, who may read them, and the contract award notice
composed only once every summary is ready."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from core.documents import document_kind_get, render_pdf
from core.exceptions import ApplicationError, PermissionRefused
from core.models import AuditEvent, DocumentStatus, OfficerMembership, OfficerRole
from core.services.documents import document_request
from partners.documents_award import SUMMARY_KIND
from partners.models import (
    AwardDecision,
    AwardEntry,
    AwardStatus,
    ConsortiumMember,
    TenderConsensus,
)
from partners.permissions_award import can_read_summary
from partners.selectors_award import summaries
from partners.services_award import (
    award_decide,
    award_notice_publish,
    award_propose,
    award_summaries_send,
)
from procurements.models import Notice, NoticeKind, Procurement, ProcurementStatus
from tests import factories
from tests.partners.award_samples import (
    REASON,
    approved,
    evaluated,
    proposed,
    render_summaries,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _documents(media_root):
    """The assessment summaries are rendered to a throw-away directory."""


def ids(sample, *organisations) -> list[int]:
    return [sample.proposal_of(organisation).pk for organisation in organisations]


def refusal(call) -> ApplicationError:
    with pytest.raises(ApplicationError) as caught:
        call()
    return caught.value


def propose(personas, sample, awarded, **kwargs):
    return award_propose(
        actor=personas.officer_a,
        evaluation=sample.evaluation,
        awarded=awarded,
        reason=kwargs.pop("reason", REASON),
        **kwargs,
    )


def summary_of(decision: AwardDecision, proposal):
    entry = decision.entries.get(proposal=proposal)
    return summaries([entry.pk])[entry.pk]


def pdf_text(document) -> str:
    pdf = render_pdf(template=document_kind_get(SUMMARY_KIND).template, context=document.context)
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


# --- proposing ----------------------------------------------------------------------------------


def test_the_best_ranked_tender_is_proposed_with_an_entry_for_every_tender(
    personas, mailoutbox, django_capture_on_commit_callbacks
):
    sample = evaluated(personas, tenderers=3, accepted=[True, True, False], max_partners=1)
    with django_capture_on_commit_callbacks(execute=True):
        decision = propose(
            personas,
            sample,
            ids(sample, personas.org_a),
            reasons={sample.proposals[1].pk: "Close."},
        )

    assert decision.status == AwardStatus.PROPOSED
    entries = {e.proposal_id: e for e in decision.entries.all()}
    alpha, beta, third = (entries[p.pk] for p in sample.proposals)
    assert (alpha.rank, alpha.awarded, str(alpha.total)) == (1, True, "100.00")
    assert (beta.rank, beta.awarded, str(beta.total), beta.reasons) == (2, False, "86.00", "Close.")
    assert (third.compliant, third.rank, third.total, third.awarded) == (False, None, None, False)
    event = AuditEvent.objects.get(action="partners.award_proposed")
    assert event.actor_id == personas.officer_a.pk
    assert event.data["awarded"] == [alpha.proposal_id]
    assert event.data["reason"] == REASON
    [message] = mailoutbox
    assert message.to == [personas.approver_a.email]
    assert reverse("partners:award-decide", kwargs={"pk": sample.procurement.pk}) in message.body


def test_more_tenderers_than_the_maximum_are_refused(personas):
    sample = evaluated(personas, tenderers=3, max_partners=2)
    error = refusal(lambda: propose(personas, sample, [p.pk for p in sample.proposals]))
    assert error.extra["errors"]["awarded"].startswith("Choose no more than 2 tenderers")
    assert not AwardDecision.objects.exists()


def test_a_better_ranked_compliant_tender_cannot_be_passed_over(personas):
    sample = evaluated(personas, tenderers=3, max_partners=2)
    skipping = [*ids(sample, personas.org_a), sample.proposals[2].pk]
    error = refusal(lambda: propose(personas, sample, skipping))
    assert "Beta Care CIC ranked better" in error.extra["errors"]["awarded"]
    error = refusal(lambda: propose(personas, sample, ids(sample, personas.org_b)))
    assert "Alpha Robotics Ltd ranked better" in error.extra["errors"]["awarded"]


def test_tenders_tied_at_the_cut_may_be_chosen_up_to_the_maximum(personas):
    sample = evaluated(personas, tenderers=3, scores=[5, 4, 4], max_partners=2)
    third = sample.proposals[2]
    error = refusal(lambda: propose(personas, sample, [p.pk for p in sample.proposals]))
    assert "no more than 2" in error.extra["errors"]["awarded"]

    decision = propose(personas, sample, [sample.proposals[0].pk, third.pk])

    assert set(decision.entries.filter(awarded=True).values_list("proposal_id", flat=True)) == {
        sample.proposals[0].pk,
        third.pk,
    }
    assert set(decision.entries.filter(rank=2).values_list("proposal_id", flat=True)) == {
        sample.proposals[1].pk,
        third.pk,
    }


def test_a_tender_not_compliant_cannot_be_awarded_and_one_is_needed(personas):
    sample = evaluated(personas, accepted=[False, True], max_partners=2)
    error = refusal(lambda: propose(personas, sample, ids(sample, personas.org_a)))
    assert error.extra["errors"]["awarded"].startswith("Only compliant, ranked tenders")
    error = refusal(lambda: propose(personas, sample, [], reason=""))
    assert error.extra["errors"] == {
        "awarded": "Choose at least one tenderer to award a partnership to",
        "reason": "Give the reasons for this award",
    }


def test_the_award_waits_for_every_tender_to_be_moderated(personas):
    sample = evaluated(personas)
    TenderConsensus.objects.filter(proposal=sample.proposals[1]).first().delete()
    error = refusal(lambda: propose(personas, sample, ids(sample, personas.org_a)))
    assert error.message.endswith("Beta Care CIC still to do.")


def test_only_the_lead_officer_proposes_and_only_while_no_award_stands(personas):
    sample = evaluated(personas)
    with pytest.raises(PermissionRefused):
        award_propose(
            actor=personas.approver_a,
            evaluation=sample.evaluation,
            awarded=ids(sample, personas.org_a),
            reason=REASON,
        )
    proposed(personas, sample)
    with pytest.raises(PermissionRefused):
        propose(personas, sample, ids(sample, personas.org_a))
    Procurement.objects.filter(pk=sample.procurement.pk).update(
        status=ProcurementStatus.NEGOTIATION
    )
    AwardDecision.objects.update(status=AwardStatus.RETURNED)
    sample.evaluation.refresh_from_db()
    with pytest.raises(PermissionRefused):
        propose(personas, sample, ids(sample, personas.org_a))


# --- four eyes ----------------------------------------------------------------------------------


def test_neither_the_proposer_nor_the_lead_officer_nor_another_approver_decides(personas):
    sample = evaluated(personas)
    decision = proposed(personas, sample)
    OfficerMembership.objects.create(
        user=personas.officer_a, borough=personas.borough_a, role=OfficerRole.APPROVER
    )
    for actor in (personas.officer_a, personas.evaluator_a, personas.borough_admin_a):
        with pytest.raises(PermissionRefused):
            award_decide(actor=actor, decision=decision, approve=True, reason="")
    named = factories.officer(personas.borough_a, OfficerRole.APPROVER, email="named@example.org")
    Procurement.objects.filter(pk=sample.procurement.pk).update(approver=named)
    with pytest.raises(PermissionRefused):
        award_decide(actor=personas.approver_a, decision=decision, approve=True, reason="")
    decision = award_decide(actor=named, decision=decision, approve=True, reason="")
    assert (decision.status, decision.decided_by_id) == (AwardStatus.APPROVED, named.pk)


def test_returning_needs_reasons_and_lets_the_lead_officer_propose_again(
    personas, mailoutbox, django_capture_on_commit_callbacks
):
    sample = evaluated(personas)
    decision = proposed(personas, sample)
    error = refusal(
        lambda: award_decide(actor=personas.approver_a, decision=decision, approve=False, reason="")
    )
    assert error.extra["errors"] == {"reason": "Give the reasons for returning the award"}
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        award_decide(
            actor=personas.approver_a, decision=decision, approve=False, reason="Check the prices."
        )

    decision.refresh_from_db()
    assert (decision.status, decision.decision_reason) == (
        AwardStatus.RETURNED,
        "Check the prices.",
    )
    assert AuditEvent.objects.get(action="partners.award_returned").data["reason"] == (
        "Check the prices."
    )
    assert mailoutbox[0].to == [personas.officer_a.email]
    assert "Check the prices." in mailoutbox[0].body
    again = proposed(personas, sample)
    assert again.pk != decision.pk
    assert summaries(AwardEntry.objects.values_list("pk", flat=True)) == {}


# --- the assessment summaries -------------------------------------------------------------------


def test_approval_asks_for_one_summary_per_tender_rendered_after_the_commit(
    personas, django_capture_on_commit_callbacks
):
    sample = evaluated(personas, tenderers=3)
    decision = proposed(personas, sample)
    with django_capture_on_commit_callbacks(execute=True):
        award_decide(actor=personas.approver_a, decision=decision, approve=True, reason="")

    found = summaries(decision.entries.values_list("pk", flat=True))
    assert len(found) == 3
    assert {document.status for document in found.values()} == {DocumentStatus.READY}
    beta = summary_of(decision, sample.proposals[1])
    with beta.file.open("rb") as handle:
        stored = PdfReader(io.BytesIO(handle.read()))
    text = " ".join(" ".join(page.extract_text() for page in stored.pages).split())
    assert "Assessment summary" in text
    assert "Quality of Beta Care CIC: scored 4." in text
    assert "Quality of Alpha Robotics Ltd: scored 5." in text


def test_a_summary_sets_its_own_marks_beside_the_best_and_nobody_else_s(personas):
    sample = evaluated(personas, tenderers=3, accepted=[True, True, False])
    decision = approved(personas, proposed(personas, sample))
    third = sample.proposals[2].request.organisation.name

    beta = pdf_text(summary_of(decision, sample.proposals[1]))
    assert "4 out of 5" in beta and "5 out of 5" in beta
    assert "86.00" in beta and "100.00" in beta
    assert "2 of 2" in beta
    assert "is not to be awarded a partnership" in beta
    assert "The most advantageous tender is that of Alpha Robotics Ltd" in beta
    assert third not in beta
    assert "Our final answer." not in beta

    lowest = pdf_text(summary_of(decision, sample.proposals[2]))
    assert "not accepted: not compliant" in lowest
    assert "Quality of Alpha Robotics Ltd: scored 5." in lowest
    assert "Beta Care CIC" not in lowest

    alpha = pdf_text(summary_of(decision, sample.proposals[0]))
    assert "is to be awarded a partnership" in alpha
    assert "Your tender is the most advantageous tender" in alpha
    assert "Beta Care CIC" not in alpha and third not in alpha


def test_the_summary_pdf_is_tagged_with_its_language_and_title(personas):
    sample = evaluated(personas)
    decision = approved(personas, proposed(personas, sample))
    document = summary_of(decision, sample.proposals[0])
    reader = PdfReader(
        io.BytesIO(
            render_pdf(template=document_kind_get(SUMMARY_KIND).template, context=document.context)
        )
    )
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    assert reader.metadata.title.startswith("Assessment summary: ")


def test_tenderers_read_their_own_summary_only_once_the_notice_is_published(personas):
    sample = evaluated(personas)
    alpha = sample.proposal_of(personas.org_a)
    alpha.request.is_consortium = True
    alpha.request.save(update_fields=["is_consortium"])
    ConsortiumMember.objects.create(
        request=alpha.request, organisation=personas.org_c, role="Sensors", share_of_work=30
    )
    decision = approved(personas, proposed(personas, sample))
    mine = summary_of(decision, alpha)
    theirs = summary_of(decision, sample.proposal_of(personas.org_b))
    for officer in (personas.officer_a, personas.approver_a, personas.borough_admin_a):
        assert can_read_summary(officer, mine)
    assert not can_read_summary(personas.supplier_a_admin, mine)

    award_summaries_send(actor=personas.officer_a, decision=decision)

    # Each request reads the document afresh.
    mine = summary_of(decision, alpha)
    theirs = summary_of(decision, sample.proposal_of(personas.org_b))
    for person in (
        personas.supplier_a_admin,
        personas.supplier_a_member,
        personas.consortium_member,
    ):
        assert can_read_summary(person, mine)
        assert not can_read_summary(person, theirs)
    assert can_read_summary(personas.supplier_b_member, theirs)
    assert not can_read_summary(personas.supplier_b_admin, mine)
    assert not can_read_summary(personas.officer_b, mine)
    assert not can_read_summary(personas.evaluator_a, mine)


def test_only_the_borough_asks_for_a_summary_and_only_once_approved(personas):
    sample = evaluated(personas)
    decision = proposed(personas, sample)
    entry = decision.entries.first()
    with pytest.raises(PermissionRefused):
        document_request(kind=SUMMARY_KIND, target=entry, actor=personas.officer_a)
    approved(personas, decision)
    entry.refresh_from_db()
    with pytest.raises(PermissionRefused):
        document_request(kind=SUMMARY_KIND, target=entry, actor=personas.supplier_a_admin)


# --- the contract award notice ------------------------------------------------------------------


def test_the_summaries_wait_until_ready_and_the_notice_waits_for_the_summaries(personas):
    sample = evaluated(personas)
    decision = award_decide(
        actor=personas.approver_a,
        decision=proposed(personas, sample),
        approve=True,
        reason="",
    )
    error = refusal(lambda: award_summaries_send(actor=personas.officer_a, decision=decision))
    assert error.message.startswith("Wait for the summaries: 0 of 2")
    render_summaries(decision)
    error = refusal(lambda: award_notice_publish(actor=personas.officer_a, decision=decision))
    assert error.message.startswith("Send every tenderer its assessment summary first")
    assert not Notice.objects.filter(kind=NoticeKind.UK6).exists()
    decision.refresh_from_db()
    assert decision.status == AwardStatus.APPROVED
    assert decision.summaries_sent_at is None


def test_the_summaries_go_first_then_the_uk6_starts_standstill(
    personas, bank_holidays, django_capture_on_commit_callbacks
):
    sample = evaluated(personas)
    decision = approved(personas, proposed(personas, sample))
    with pytest.raises(PermissionRefused):
        award_summaries_send(actor=personas.approver_a, decision=decision)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        decision = award_summaries_send(actor=personas.officer_a, decision=decision)

    assert decision.status == AwardStatus.APPROVED
    assert decision.summaries_sent_at is not None
    assert not Notice.objects.filter(kind=NoticeKind.UK6).exists()
    by_recipient = {message.to[0]: message for message in mail.outbox}
    alpha = by_recipient[personas.supplier_a_admin.email]
    assert "is to be awarded a partnership" in alpha.body
    assert reverse("tenders:award", kwargs={"pk": sample.proposals[0].pk}) in alpha.body
    assert "is not to be awarded" in by_recipient[personas.supplier_b_admin.email].body
    with pytest.raises(PermissionRefused):
        award_summaries_send(actor=personas.officer_a, decision=decision)

    decision = award_notice_publish(actor=personas.officer_a, decision=decision)

    assert decision.status == AwardStatus.STANDSTILL
    assert decision.notice_published_at > decision.summaries_sent_at
    sample.procurement.refresh_from_db()
    assert sample.procurement.status == ProcurementStatus.STANDSTILL
    [notice] = Notice.objects.filter(procurement=sample.procurement, kind=NoticeKind.UK6)
    sections = {s["heading"]: s["fields"] for s in notice.content["sections"]}
    [awarded] = sections["Suppliers to be awarded a partnership"]
    assert awarded["label"] == "Alpha Robotics Ltd"
    last_day = {f["label"]: f["lines"] for f in sections["Standstill period"]}
    assert last_day["Last day of the standstill period"] == [
        f"{decision.standstill_last_day.day} {decision.standstill_last_day:%B %Y}"
    ]
    event = AuditEvent.objects.get(action="partners.award_notice_published")
    assert event.data["notice_id"] == notice.pk
    assert event.data["standstill_last_day"] == decision.standstill_last_day.isoformat()
    sent = AuditEvent.objects.get(action="partners.award_summaries_sent")
    assert sent.pk < event.pk


def test_under_pcr_the_summaries_are_the_standstill_letters_and_no_notice_is_composed(
    personas, bank_holidays
):
    sample = evaluated(personas, regime="pcr2015")
    decision = approved(personas, proposed(personas, sample))
    decision = award_summaries_send(actor=personas.officer_a, decision=decision)
    assert decision.status == AwardStatus.STANDSTILL
    assert not Notice.objects.filter(
        kind__in=[NoticeKind.UK6, NoticeKind.PCR_CONTRACT_AWARD]
    ).exists()
    event = AuditEvent.objects.get(action="partners.award_notice_published")
    assert event.data["standstill_letters"] is True
    assert event.data["notice_id"] is None
    assert len(event.data["summaries"]) == 2
