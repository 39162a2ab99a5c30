"""The selection letters: an invitation to tender for a shortlisted request, a regret letter
with the marks and reasons otherwise, who may read them, and where suppliers find them."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from core.documents import document_kind_get, render_pdf
from core.models import DocumentStatus, GeneratedDocument
from partners.models import (
    ConsortiumMember,
    Outcome,
    ParticipationRequest,
    RequestStatus,
    Shortlist,
    ShortlistEntry,
    ShortlistStatus,
)
from partners.scoring import Mark
from partners.services_selection import (
    conflicts_declare,
    consensus_save,
    evaluator_marks_save,
    shortlist_decide,
    shortlist_propose,
)
from procurements.models import Procurement
from tests import factories
from tests.partners.request_samples import open_call, questions
from tests.partners.test_selection_page import close, submitted
from tests.query_budget import assert_query_budget

pytestmark = pytest.mark.django_db

KIND = "selection_letter"


def marks_for(procurement, *, passed: bool, score: int, why: str) -> dict[int, Mark]:
    marks = {}
    for question in questions(procurement):
        if question.is_scored:
            marks[question.pk] = Mark(score=score, reason=f"{why} (scored)")
        else:
            marks[question.pk] = Mark(passed=passed, reason=f"{why} (pass/fail)")
    return marks


def decided(personas, on_commit=None):
    """A call with two requests received: Alpha's (leading a consortium with Gamma) passes
    and scores 4 of 5; Beta's fails the insurance question. The lead officer proposes
    Alpha, the approver confirms. Returns the procurement and both requests."""
    procurement = open_call(personas)
    Procurement.objects.filter(pk=procurement.pk).update(indicative_tender_date=date(2031, 3, 27))
    procurement.evaluators.add(personas.evaluator_a)
    alpha = submitted(personas, procurement, personas.org_a, personas.supplier_a_admin)
    beta = submitted(personas, procurement, personas.org_b, personas.supplier_b_admin)
    ParticipationRequest.objects.filter(pk=alpha.pk).update(is_consortium=True)
    ConsortiumMember.objects.create(
        request=alpha, organisation=personas.org_c, role="Sensors and data", share_of_work=30
    )
    close(procurement)
    procurement.refresh_from_db()
    conflicts_declare(
        actor=personas.evaluator_a,
        procurement=procurement,
        declarations={alpha.pk: (False, ""), beta.pk: (False, "")},
    )
    alpha_marks = marks_for(
        procurement, passed=True, score=4, why="Strong trial evidence from two boroughs"
    )
    beta_marks = marks_for(
        procurement, passed=False, score=2, why="No insurance certificate was offered"
    )
    for request, marks in ((alpha, alpha_marks), (beta, beta_marks)):
        evaluator_marks_save(
            actor=personas.evaluator_a, request=request, marks=marks, complete=True
        )
        consensus_save(actor=personas.officer_a, request=request, marks=marks)
    shortlist = shortlist_propose(
        actor=personas.officer_a,
        procurement=procurement,
        chosen=[alpha.pk],
        reason="Only Alpha qualifies.",
    )
    if on_commit is None:
        shortlist_decide(actor=personas.approver_a, shortlist=shortlist, confirm=True, reason="")
    else:
        with on_commit(execute=True):
            shortlist_decide(
                actor=personas.approver_a, shortlist=shortlist, confirm=True, reason=""
            )
    alpha.refresh_from_db()
    beta.refresh_from_db()
    return procurement, alpha, beta


def letter_of(request) -> GeneratedDocument:
    entry = ShortlistEntry.objects.get(request=request)
    return GeneratedDocument.objects.get(
        kind=KIND,
        content_type=ContentType.objects.get_for_model(ShortlistEntry),
        object_id=str(entry.pk),
    )


def pdf_text(document: GeneratedDocument) -> str:
    pdf = render_pdf(template=document_kind_get(KIND).template, context=document.context)
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_confirming_the_shortlist_freezes_an_invitation_and_a_regret_letter(personas):
    procurement, alpha, beta = decided(personas)

    invitation, regret = letter_of(alpha), letter_of(beta)

    assert alpha.status == RequestStatus.SHORTLISTED
    assert beta.status == RequestStatus.EXCLUDED
    assert invitation.status == DocumentStatus.PENDING
    assert invitation.title == (
        f"Invitation to tender: {procurement.reference} {procurement.title} – Alpha Robotics Ltd"
    )
    assert regret.title == (
        f"Outcome of your request to participate: {procurement.reference} "
        f"{procurement.title} – {personas.org_b.name}"
    )
    context = invitation.context
    assert context["invited"] is True
    assert context["organisation"] == personas.org_a.name
    assert context["consortium_members"] == [personas.org_c.name]
    assert context["total"] == "80.00"
    assert context["rank"] == 1 and context["qualifying"] == 1
    assert context["tender_date"] == "27 March 2031"
    assert [row["mark"] for row in context["marks"]] == ["Pass", "4 out of 5"]
    assert regret.context["invited"] is False
    assert regret.context["outcome"] == Outcome.EXCLUDED
    assert regret.context["rank"] is None
    assert regret.context["tender_date"] == ""


def test_the_invitation_pdf_shows_the_marks_the_score_and_the_next_step(personas):
    procurement, alpha, _ = decided(personas)

    text = pdf_text(letter_of(alpha))

    assert "Invitation to tender" in text
    assert f"{personas.org_a.name} is invited to tender" in text
    assert "80.00 out of 100" in text
    assert "Ranked 1 of the 1 request that qualified" in text
    assert "4 out of 5" in text
    assert "Strong trial evidence from two boroughs (scored)" in text
    assert "27 March 2031" in text
    assert personas.org_c.name in text
    assert procurement.borough.name in text
    assert "debrief" not in text


def test_the_regret_letter_pdf_gives_the_reasons_and_the_right_to_a_debrief(personas):
    _, _, beta = decided(personas)

    text = pdf_text(letter_of(beta))

    assert "Outcome of your request to participate" in text
    assert f"{personas.org_b.name} is not invited to tender" in text
    assert "Fail" in text
    assert "No insurance certificate was offered (pass/fail)" in text
    assert "Failed question 1: Do you hold public liability insurance" in text
    assert "40.00 out of 100" in text
    assert "debrief" in text
    assert "Invitation to tender" not in text


def test_the_pdf_is_tagged_with_its_language_and_title(personas):
    _, alpha, _ = decided(personas)
    document = letter_of(alpha)

    reader = PdfReader(
        io.BytesIO(render_pdf(template=document_kind_get(KIND).template, context=document.context))
    )

    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    assert reader.metadata.title == document.title


def test_the_lead_and_consortium_members_and_the_borough_may_read_a_letter(personas):
    _, alpha, beta = decided(personas)
    kind = document_kind_get(KIND)
    invitation, regret = letter_of(alpha), letter_of(beta)

    assert kind.may_read(personas.supplier_a_admin, invitation)
    assert kind.may_read(personas.supplier_a_member, invitation)
    assert kind.may_read(personas.consortium_member, invitation)
    assert kind.may_read(personas.officer_a, invitation)
    assert kind.may_read(personas.approver_a, invitation)
    assert not kind.may_read(personas.supplier_b_admin, invitation)
    assert not kind.may_read(personas.officer_b, invitation)
    assert not kind.may_read(personas.anonymous, invitation)
    assert kind.may_read(personas.supplier_b_member, regret)
    assert not kind.may_read(personas.supplier_a_admin, regret)
    assert not kind.may_read(personas.consortium_member, regret)


def test_only_the_borough_may_request_a_letter_and_only_once_confirmed(personas):
    _, alpha, _ = decided(personas)
    kind = document_kind_get(KIND)
    entry = ShortlistEntry.objects.get(request=alpha)

    assert kind.may_request(personas.approver_a, entry)
    assert kind.may_request(personas.officer_a, entry)
    assert not kind.may_request(personas.officer_b, entry)
    assert not kind.may_request(personas.supplier_a_admin, entry)
    Shortlist.objects.filter(pk=entry.shortlist_id).update(status=ShortlistStatus.RETURNED)
    entry = ShortlistEntry.objects.get(pk=entry.pk)
    assert not kind.may_request(personas.approver_a, entry)


def test_after_commit_the_letters_are_rendered_and_everyone_is_told(
    personas, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    procurement, alpha, _ = decided(personas, on_commit=django_capture_on_commit_callbacks)

    invitation = letter_of(alpha)
    assert invitation.status == DocumentStatus.READY, invitation.error
    with invitation.file.open("rb") as handle:
        stored = PdfReader(io.BytesIO(handle.read()))
    stored_text = " ".join(" ".join(page.extract_text() for page in stored.pages).split())
    assert "80.00 out of 100" in stored_text
    by_recipient = {message.to[0]: message for message in mail.outbox}
    lead = by_recipient[personas.supplier_a_admin.email]
    assert lead.subject == f"Invitation to tender: {procurement.reference} {procurement.title}"
    assert "is shortlisted: you are invited to tender" in lead.body
    assert reverse("requests:detail", kwargs={"pk": alpha.pk}) in lead.body
    member = by_recipient[personas.consortium_member.email]
    assert personas.org_c.name in member.body
    assert reverse("requests:consortium-invitations") in member.body
    regret = by_recipient[personas.supplier_b_admin.email]
    assert regret.subject == (
        f"Outcome of the request to participate: {procurement.reference} {procurement.title}"
    )
    assert "is not shortlisted: you are not invited to tender" in regret.body
    assert "Failed question 1" in regret.body
    assert "debrief" in regret.body


def test_the_request_page_shows_the_letter_once_it_is_ready(personas, login):
    _, alpha, _ = decided(personas)
    client = login(personas.supplier_a_admin)
    url = reverse("requests:detail", kwargs={"pk": alpha.pk})
    letter = letter_of(alpha)
    link = reverse("core:document-detail", kwargs={"pk": letter.pk})

    pending = client.get(url).content.decode()

    assert "Shortlisted: invited to tender." in pending
    assert "is being prepared" in pending
    assert link not in pending

    GeneratedDocument.objects.filter(pk=letter.pk).update(status=DocumentStatus.READY)
    ready = client.get(url).content.decode()

    assert link in ready
    assert "Read the invitation to tender" in ready
    assert "is being prepared" not in ready
    assert client.get(link).status_code == 200


def test_the_regretted_supplier_sees_its_regret_letter_and_not_the_other(personas, login):
    _, alpha, beta = decided(personas)
    GeneratedDocument.objects.filter(kind=KIND).update(status=DocumentStatus.READY)
    client = login(personas.supplier_b_admin)

    page = client.get(reverse("requests:detail", kwargs={"pk": beta.pk})).content.decode()

    assert "Not invited to tender." in page
    assert reverse("core:document-detail", kwargs={"pk": letter_of(beta).pk}) in page
    assert reverse("core:document-detail", kwargs={"pk": letter_of(alpha).pk}) not in page
    other = reverse("core:document-detail", kwargs={"pk": letter_of(alpha).pk})
    assert client.get(other).status_code == 404


def test_a_request_still_submitted_shows_no_outcome(personas, login):
    procurement = open_call(personas)
    request = submitted(personas, procurement, personas.org_a, personas.supplier_a_admin)

    page = login(personas.supplier_a_admin).get(
        reverse("requests:detail", kwargs={"pk": request.pk})
    )

    assert "selection-outcome" not in page.content.decode()


def test_the_consortium_member_finds_the_letter_on_its_invitations_page(personas, login):
    _, alpha, _ = decided(personas)
    letter = letter_of(alpha)
    client = login(personas.consortium_member)
    url = reverse("requests:consortium-invitations")

    assert "is being prepared" in client.get(url).content.decode()

    GeneratedDocument.objects.filter(pk=letter.pk).update(status=DocumentStatus.READY)
    page = client.get(url).content.decode()

    assert reverse("core:document-detail", kwargs={"pk": letter.pk}) in page
    assert client.get(reverse("core:document-detail", kwargs={"pk": letter.pk})).status_code == 200


def decided_consortium(personas, outcome: str = Outcome.SHORTLISTED) -> GeneratedDocument:
    """Rows as a confirmed shortlist leaves them, written directly: a consortium led by B
    naming C, decided, with its letter ready."""
    procurement = factories.ProcurementFactory(
        borough=personas.borough_a, lead_officer=personas.officer_a
    )
    request = ParticipationRequest.objects.create(
        procurement=procurement,
        organisation=personas.org_b,
        created_by=personas.supplier_b_admin,
        is_consortium=True,
    )
    ParticipationRequest.objects.filter(pk=request.pk).update(status=outcome)
    ConsortiumMember.objects.create(
        request=request, organisation=personas.org_c, role="Data", share_of_work=20
    )
    shortlist = Shortlist.objects.create(
        procurement=procurement, reason="Reasons.", proposed_by=personas.officer_a
    )
    Shortlist.objects.filter(pk=shortlist.pk).update(status=ShortlistStatus.CONFIRMED)
    entry = ShortlistEntry.objects.create(
        shortlist=shortlist, request=request, rank=1, total="75.00", outcome=outcome
    )
    document = GeneratedDocument.objects.create(
        kind=KIND,
        content_type=ContentType.objects.get_for_model(ShortlistEntry),
        object_id=str(entry.pk),
        title=f"Letter {entry.pk}",
    )
    GeneratedDocument.objects.filter(pk=document.pk).update(status=DocumentStatus.READY)
    return document


def test_the_invitations_page_reads_the_letters_in_a_constant_number_of_queries(personas, login):
    client = login(personas.consortium_member)

    def add_rows(count: int) -> None:
        for _ in range(count):
            decided_consortium(personas)

    assert_query_budget(
        client, reverse("requests:consortium-invitations"), add_rows=add_rows, most=20
    )
    page = client.get(reverse("requests:consortium-invitations")).content.decode()
    assert page.count("Read the invitation to tender") == 30
