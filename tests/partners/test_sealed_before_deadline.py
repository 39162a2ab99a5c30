"""Before the participation deadline nobody on the borough's side, a superuser included,
reads anything a supplier wrote in a request: not through any page, the admin or an export.

Every URL pattern of the portal (the permission matrix's list) is requested by every borough
persona and the superuser, with every request's answers, declarations, conflict details and
frozen submissions holding a marker; the marker must appear in no response.
"""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from partners.models import (
    ExclusionDeclaration,
    ParticipationRequest,
    RequestAnswer,
    RequestSubmission,
    SelectionQuestion,
)
from procurements.models import ProcurementStatus
from tests.permission_matrix import SESSION_METHODS, entries_for, url_patterns
from tests.procurements.publication_samples import published_opportunity
from tests.signing_in import force_sign_in

pytestmark = pytest.mark.django_db

MARKER = "SEALED-7f3a-what-the-supplier-wrote"
BOROUGH_SIDE = ("officer_a", "approver_a", "evaluator_a", "borough_admin_a", "superuser")
PATTERNS = url_patterns()


def _a_request_with_the_marker(personas) -> None:
    procurement = published_opportunity(personas, closes=timezone.now() + timedelta(days=5))
    procurement.evaluators.add(personas.evaluator_a)
    question = SelectionQuestion.objects.create(
        procurement=procurement, kind="scored", topic="rd_capability", text="R&D?", weight=100
    )
    request = ParticipationRequest.objects.create(
        procurement=procurement,
        organisation=personas.org_a,
        created_by=personas.supplier_a_admin,
        has_conflict=True,
        conflict_details=MARKER,
    )
    RequestAnswer.objects.create(
        request=request, question=question, text=MARKER, updated_by=personas.supplier_a_admin
    )
    RequestSubmission.objects.create(
        request=request,
        number=1,
        content={"answers": [{"text": MARKER}]},
        sha256="0" * 64,
        submitted_by=personas.supplier_a_admin,
    )


def _everything_holds_the_marker() -> None:
    """Every request whose deadline has not passed holds the marker (an entry's own sample may
    be a procurement already in selection, whose requests the borough may read)."""
    sealed = {"request__procurement__status": ProcurementStatus.PUBLISHED}
    RequestAnswer.objects.filter(**sealed).update(text=MARKER)
    ParticipationRequest.objects.filter(procurement__status=ProcurementStatus.PUBLISHED).update(
        conflict_details=MARKER
    )
    ExclusionDeclaration.objects.filter(**sealed).update(details=MARKER, self_cleaning=MARKER)
    RequestSubmission.objects.filter(**sealed).update(content={"answers": [{"text": MARKER}]})


@pytest.mark.parametrize("info", PATTERNS, ids=[info.key for info in PATTERNS])
def test_no_page_shows_the_borough_what_a_supplier_wrote_before_the_deadline(info, personas):
    [entry] = entries_for(info)
    _a_request_with_the_marker(personas)
    url = entry.url(personas, info)  # may make the entry's own sample request
    _everything_holds_the_marker()
    people = personas.all()

    leaks = []
    for name in BOROUGH_SIDE:
        client = Client()
        force_sign_in(client, people[name], methods=SESSION_METHODS.get(name))
        response = client.get(url)
        body = b"".join(response) if response.streaming else response.content
        if MARKER.encode() in body:
            leaks.append(name)

    assert not leaks, f"GET {url} shows a supplier's words to {leaks}"


def test_the_marker_does_show_to_the_supplier_who_wrote_it(personas):
    """The sweep above can fail: the supplier's own pages do show what it wrote."""
    from django.urls import reverse

    _a_request_with_the_marker(personas)
    request = ParticipationRequest.objects.get(organisation=personas.org_a)
    question = request.answers.get().question
    client = Client()
    force_sign_in(client, personas.supplier_a_member)

    page = client.get(
        reverse("requests:answer", kwargs={"pk": request.pk, "question_pk": question.pk})
    )

    assert MARKER.encode() in page.content
