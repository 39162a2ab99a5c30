"""A supplier requests to participate in a real browser: from the opportunity page through
the questionnaire, the exclusion declarations and conflicts, a refused submit listing what is
missing, to the receipt with its SHA-256.

Every page on the way, error states included, is checked with axe-core.
"""

import pytest
from django.urls import reverse

from core.calendar import bank_holidays_seed
from partners.models import ParticipationRequest, QuestionKind, RequestStatus
from partners.submission import content_sha256, published_questions
from procurements.services.approval import procurement_publish
from tests.procurements.publication_samples import announced_procurement

pytestmark = pytest.mark.browser


def test_a_supplier_requests_to_participate_and_gets_a_receipt(
    browser_page, personas, django_capture_on_commit_callbacks
):
    bank_holidays_seed(first_year=2025, last_year=2028)
    procurement = announced_procurement(personas)
    with django_capture_on_commit_callbacks():
        procurement_publish(actor=personas.officer_a, procurement=procurement)
    page = browser_page.sign_in_as(personas.supplier_a_admin)

    page.visit(reverse("opportunities:detail", kwargs={"pk": procurement.pk}))
    page.click_button("Request to participate")
    request = ParticipationRequest.objects.get(procurement=procurement)
    assert "Check and submit" in page.text()

    # Submitting now lists everything missing, each linked.
    page.visit(reverse("requests:submit", kwargs={"pk": request.pk}))
    page.click_button("Submit the request")
    assert "Answer question 1" in page.text()
    assert "Say whether you have any conflict of interest" in page.text()

    for question in published_questions(procurement):
        page.visit(
            reverse("requests:answer", kwargs={"pk": request.pk, "question_pk": question.pk})
        )
        if question.kind == QuestionKind.PASS_FAIL:
            page.page.locator('input[name="meets"][value="yes"]').check()
        else:
            page.page.locator('textarea[name="text"]').fill(
                f"Our research team has delivered three trials like this ({question.pk})."
            )
        page.click_button("Save and continue")

    page.visit(
        reverse(
            "requests:exclusions",
            kwargs={"pk": request.pk, "organisation_pk": personas.org_a.pk},
        )
    )
    for radio in page.page.locator('input[type="radio"][value="no"]').all():
        radio.check()
    page.click_button("Save the declarations")

    page.visit(reverse("requests:conflicts", kwargs={"pk": request.pk}))
    page.page.locator('input[name="has_conflict"][value="no"]').check()
    page.click_button("Save and continue")

    page.visit(reverse("requests:submit", kwargs={"pk": request.pk}))
    page.click_button("Submit the request")

    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED
    submission = request.submissions.get()
    assert submission.sha256 == content_sha256(submission.content)
    assert submission.sha256 in page.text()
    assert "Our research team has delivered three trials like this" in str(submission.content)
