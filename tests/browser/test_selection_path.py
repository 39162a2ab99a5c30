"""Selection in a real browser: two suppliers (one leading a consortium) submit their requests,
the deadline passes, an evaluator declares conflicts and marks both, the lead officer moderates
and proposes the shortlist, the approver confirms it, and each supplier reads its invitation or
regret letter, generated as a PDF, in its account.

Every page on the way is checked with axe-core.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import DocumentStatus, GeneratedDocument
from partners.models import (
    ConsortiumMember,
    ExclusionDeclaration,
    ParticipationRequest,
    RequestStatus,
)
from partners.submission import exclusion_grounds, published_questions
from procurements.models import Procurement, ProcurementStatus
from procurements.services.closing import procurement_close_participation
from tests.partners.request_samples import a_request, answer_everything, open_call

pytestmark = pytest.mark.browser


def _ready_to_submit(personas, procurement):
    """Organisation A alone, and organisation B leading a consortium with C (confirmed, its
    grounds declared): every answer given, nothing submitted yet."""
    alone = a_request(personas, procurement)
    answer_everything(personas, alone, text="We ran three fall-detection trials with councils.")
    consortium = a_request(
        personas, procurement, organisation=personas.org_b, created_by=personas.supplier_b_admin
    )
    ParticipationRequest.objects.filter(pk=consortium.pk).update(is_consortium=True)
    consortium.refresh_from_db()
    ConsortiumMember.objects.create(
        request=consortium,
        organisation=personas.org_c,
        role="Sensors and data",
        share_of_work=30,
        confirmed_at=timezone.now(),
    )
    answer_everything(personas, consortium, text="A community energy cooperative's pilots.")
    for ground in exclusion_grounds(procurement):
        ExclusionDeclaration.objects.create(
            request=consortium,
            organisation=personas.org_c,
            ground=ground.key,
            applies=False,
            declared_by=personas.consortium_member,
        )
    return alone, consortium


def _mark_every_question(page, procurement, *, passes: bool, score: str, reason: str):
    for number, question in enumerate(published_questions(procurement), start=1):
        if question.is_scored:
            page.page.get_by_label(f"Score for question {number}", exact=True).select_option(score)
        else:
            page.page.locator(
                f'input[name="q{question.pk}_mark"][value="{"pass" if passes else "fail"}"]'
            ).check()
        page.fill(f"Reason for your mark for question {number}", f"{reason} ({number})")


def test_from_requests_to_a_confirmed_shortlist_and_the_letters(
    browser_page, personas, django_capture_on_commit_callbacks
):
    procurement = open_call(personas)
    Procurement.objects.filter(pk=procurement.pk).update(number_to_invite=3)
    procurement.evaluators.add(personas.evaluator_a)
    alone, consortium = _ready_to_submit(personas, procurement)

    # The suppliers submit before the deadline.
    for supplier, request in (
        (personas.supplier_a_admin, alone),
        (personas.supplier_b_admin, consortium),
    ):
        page = browser_page.sign_in_as(supplier)
        page.visit(reverse("requests:submit", kwargs={"pk": request.pk}))
        page.click_button("Submit the request")
        request.refresh_from_db()
        assert request.status == RequestStatus.SUBMITTED
        assert request.submissions.get().sha256 in page.text()

    # The deadline passes.
    Procurement.objects.filter(pk=procurement.pk).update(
        participation_deadline=timezone.now() - timedelta(seconds=1)
    )
    procurement_close_participation(pk=procurement.pk)

    # The evaluator declares no conflict, then marks both; B's consortium fails the
    # pass/fail question.
    page = browser_page.sign_in_as(personas.evaluator_a)
    page.visit(reverse("partners:selection-assess", kwargs={"pk": procurement.pk}))
    for radio in page.page.locator('input[type="radio"][value="no"]').all():
        radio.check()
    page.click_button("Declare and continue")
    assert "Your declaration is recorded" in page.text()
    for request, passes, score in ((alone, True, "4"), (consortium, False, "3")):
        page.click_link(request.organisation.name)
        assert "Complete my marks" in page.text()
        _mark_every_question(
            page, procurement, passes=passes, score=score, reason="Seen in the answer"
        )
        page.click_button("Complete my marks")
        assert f"Your marks for {request.organisation.name} are complete." in page.text()

    # The lead officer moderates both (the evaluator's marks are offered) and proposes.
    page = browser_page.sign_in_as(personas.officer_a)
    for request in (alone, consortium):
        page.visit(
            reverse(
                "partners:selection-moderate",
                kwargs={"pk": procurement.pk, "request_pk": request.pk},
            )
        )
        assert "Seen in the answer (1)" in page.text()
        for number, _ in enumerate(published_questions(procurement), start=1):
            page.fill(
                f"Reason for your mark for question {number}", f"Agreed at moderation ({number})"
            )
        page.click_button("Save the consensus")
        assert "The consensus for" in page.text()
    assert "Ranked 1" in page.text()
    assert "Does not qualify" in page.text()
    page.click_link("Propose the shortlist")
    page.fill("Your reasons for this shortlist", "The only request that qualifies.")
    page.click_button("Propose the shortlist to the approver")
    assert "The shortlist is proposed" in page.text()

    # The approver confirms it: the procurement moves to tendering, the letters are made.
    page = browser_page.sign_in_as(personas.approver_a)
    page.visit(reverse("partners:selection", kwargs={"pk": procurement.pk}))
    page.click_link("Decide the shortlist")
    page.page.get_by_label(
        "Confirm the shortlist: invite these suppliers to tender", exact=True
    ).check()
    page.click_button("Record my decision")
    assert "The shortlist is confirmed" in page.text()
    assert Procurement.objects.get(pk=procurement.pk).status == ProcurementStatus.TENDERING
    letters = GeneratedDocument.objects.filter(kind="selection_letter")
    assert letters.count() == 2
    assert set(letters.values_list("status", flat=True)) == {DocumentStatus.READY}

    # Each supplier reads its letter in its account.
    page = browser_page.sign_in_as(personas.supplier_a_admin)
    page.visit(reverse("requests:detail", kwargs={"pk": alone.pk}))
    assert "Shortlisted: invited to tender." in page.text()
    page.click_link(f"Read the invitation to tender for {procurement.reference}")
    assert "Ready" in page.text() or "Download" in page.text()

    page = browser_page.sign_in_as(personas.supplier_b_admin)
    page.visit(reverse("requests:detail", kwargs={"pk": consortium.pk}))
    assert "Not invited to tender." in page.text()
    page.click_link(f"Read the letter with your marks and the reasons for {procurement.reference}")

    page = browser_page.sign_in_as(personas.consortium_member)
    page.visit(reverse("requests:consortium-invitations"))
    assert "Not invited to tender." in page.text()
