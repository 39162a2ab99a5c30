"""The borough's pages of the later rounds (the next round, negotiation notes, change
notices, a later deadline) and what a tenderer sees of them on its proposal."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.calendar import LONDON
from core.models import OfficerRole
from partners.models import ChangeNotice, NegotiationNote, Proposal, TenderRound
from partners.selectors_tenders import change_notices_for
from partners.services_negotiation import negotiation_note_add, remaining_tenderers, round_next
from tests import factories
from tests.partners.tender_samples import initial_tenders_opened, proposal_submitted, tendering

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root", "bank_holidays")]


def date_fields(name: str, moment, *, with_time: bool = True) -> dict[str, str]:
    local = moment.astimezone(LONDON)
    fields = {
        f"{name}_day": str(local.day),
        f"{name}_month": str(local.month),
        f"{name}_year": str(local.year),
    }
    if with_time:
        fields[f"{name}_time"] = local.strftime("%H:%M")
    return fields


def url(name: str, tender_round: TenderRound | None = None, *, procurement=None) -> str:
    kwargs = {"pk": procurement.pk if procurement else tender_round.procurement_id}
    if name != "partners:tenders-next-round":
        kwargs["round_pk"] = tender_round.pk
    return reverse(name, kwargs=kwargs)


def refused_on_field(response, field_id: str, message: str) -> None:
    """The page is shown again with ``message`` in the error summary, linking to the field."""
    text = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in text
    assert f'href="#{field_id}"' in text
    assert message in text
    assert "govuk-error-message" in text


def far(days: int = 40):
    return (timezone.now() + timedelta(days=days)).replace(second=0, microsecond=0)


@pytest.fixture
def round_one(personas):
    return initial_tenders_opened(personas, tendering(personas))


@pytest.fixture
def round_two(personas, round_one):
    moment = far()
    return round_next(
        actor=personas.officer_a,
        procurement=round_one.procurement,
        kind="negotiation",
        deadline=moment,
        opens_at=moment,
    )


@pytest.fixture
def second_officer(personas):
    """A procurement officer of borough A who does not lead the procurement."""
    return factories.officer(
        personas.borough_a, OfficerRole.OFFICER, email="officer-a2@example.org"
    )


# --- the next round --------------------------------------------------------------------------


def test_the_lead_officer_opens_the_next_round(personas, login, round_one):
    procurement = round_one.procurement
    client = login(personas.officer_a)
    rounds_page = client.get(reverse("partners:tenders", kwargs={"pk": procurement.pk}))
    assert (
        url("partners:tenders-next-round", procurement=procurement) in rounds_page.content.decode()
    )

    page = client.get(url("partners:tenders-next-round", procurement=procurement))
    text = page.content.decode()
    assert "Alpha Robotics Ltd" in text and "Beta Care CIC" in text

    moment = far()
    response = client.post(
        url("partners:tenders-next-round", procurement=procurement),
        {"kind": "final", **date_fields("deadline", moment), **date_fields("opens_at", moment)},
    )

    assert response.status_code == 302
    created = TenderRound.objects.get(procurement=procurement, number=2)
    assert created.kind == "final"
    assert created.deadline == moment


def test_a_next_round_too_soon_is_refused_on_the_deadline(personas, login, round_one):
    procurement = round_one.procurement
    soon = timezone.now() + timedelta(days=1)
    response = login(personas.officer_a).post(
        url("partners:tenders-next-round", procurement=procurement),
        {"kind": "negotiation", **date_fields("deadline", soon), **date_fields("opens_at", soon)},
    )

    refused_on_field(response, "id_deadline_0", "The deadline for tenders must be on or after")
    assert not TenderRound.objects.filter(procurement=procurement, number=2).exists()

    response = login(personas.officer_a).post(
        url("partners:tenders-next-round", procurement=procurement),
        {**date_fields("deadline", far()), **date_fields("opens_at", far())},
    )
    refused_on_field(response, "id_kind_0", "Choose negotiated tenders or final tenders")
    assert not TenderRound.objects.filter(procurement=procurement, number=2).exists()


# --- negotiation notes -----------------------------------------------------------------------


def test_an_officer_adds_a_meeting_record_and_the_approver_reads_it(
    personas, login, round_one, second_officer
):
    request_a = Proposal.objects.get(round=round_one, request__organisation=personas.org_a).request
    notes_url = url("partners:tenders-notes", round_one)
    client = login(second_officer)
    response = client.post(
        notes_url,
        {
            "request": str(request_a.pk),
            "kind": "meeting_record",
            "text": "We agreed the pilot sites.",
            **date_fields("met_on", timezone.now(), with_time=False),
        },
    )

    assert response.status_code == 302
    note = NegotiationNote.objects.get(round=round_one)
    assert (note.request, note.kind, note.written_by) == (
        request_a,
        "meeting_record",
        second_officer,
    )
    text = login(personas.approver_a).get(notes_url).content.decode()
    assert "We agreed the pilot sites." in text
    assert "Add the note" not in text


def test_a_meeting_record_without_its_date_is_refused_on_the_field(personas, login, round_one):
    request_b = Proposal.objects.get(round=round_one, request__organisation=personas.org_b).request
    response = login(personas.officer_a).post(
        url("partners:tenders-notes", round_one),
        {"request": str(request_b.pk), "kind": "meeting_record", "text": "Met on site."},
    )

    refused_on_field(response, "id_met_on_0", "Enter the date of the meeting")
    assert not NegotiationNote.objects.exists()


def test_an_approver_cannot_add_a_note(personas, login, round_one):
    request_a = Proposal.objects.get(round=round_one, request__organisation=personas.org_a).request
    response = login(personas.approver_a).post(
        url("partners:tenders-notes", round_one),
        {"request": str(request_a.pk), "kind": "note", "text": "A note."},
    )

    assert response.status_code == 403
    assert not NegotiationNote.objects.exists()


# --- change notices --------------------------------------------------------------------------


def test_the_lead_officer_issues_a_change_notice_and_sees_it_listed(personas, login, round_two):
    client = login(personas.officer_a)
    notice_url = url("partners:tenders-change-notice", round_two)
    response = client.post(
        notice_url, {"parts": ["specification", "timetable"], "text": "Two more care homes."}
    )

    assert response.status_code == 302
    notice = ChangeNotice.objects.get(procurement=round_two.procurement)
    assert notice.parts == ["specification", "timetable"]
    text = client.get(notice_url).content.decode()
    assert 'id="notice-1"' in text and "Two more care homes." in text
    assert "Specification, Timetable" in text


def test_a_change_notice_without_parts_is_refused_on_the_field(personas, login, round_two):
    response = login(personas.officer_a).post(
        url("partners:tenders-change-notice", round_two), {"text": "Something changes."}
    )

    refused_on_field(response, "id_parts_0", "Choose what the notice changes")
    assert not ChangeNotice.objects.exists()


# --- moving the deadline ---------------------------------------------------------------------


def test_the_lead_officer_moves_the_deadline_later(personas, login, round_two):
    later = round_two.deadline + timedelta(days=7)
    response = login(personas.officer_a).post(
        url("partners:tenders-deadline", round_two), date_fields("deadline", later)
    )

    assert response.status_code == 302
    round_two.refresh_from_db()
    assert round_two.deadline == later
    assert round_two.opens_at == later


def test_an_earlier_deadline_is_refused_on_the_field(personas, login, round_two):
    before = round_two.deadline
    response = login(personas.officer_a).post(
        url("partners:tenders-deadline", round_two),
        date_fields("deadline", before - timedelta(days=1)),
    )

    refused_on_field(response, "id_deadline_0", "a deadline is only ever moved later")
    round_two.refresh_from_db()
    assert round_two.deadline == before


# --- only the lead officer -------------------------------------------------------------------


def test_officers_who_do_not_lead_are_refused_the_lead_pages(
    personas, login, round_two, second_officer
):
    round_one = TenderRound.objects.get(procurement=round_two.procurement, number=1)
    before = round_two.deadline
    for user in (second_officer, personas.approver_a):
        client = login(user)
        rounds_page = client.get(
            reverse("partners:tenders", kwargs={"pk": round_one.procurement_id})
        )
        assert url("partners:tenders-deadline", round_two) not in rounds_page.content.decode()
        assert client.get(url("partners:tenders-deadline", round_two)).status_code == 403
        assert client.get(url("partners:tenders-change-notice", round_two)).status_code == 403
        posts = [
            (
                url("partners:tenders-next-round", procurement=round_two.procurement),
                {"kind": "final", **date_fields("deadline", far(50)),
                 **date_fields("opens_at", far(50))},
            ),
            (
                url("partners:tenders-change-notice", round_two),
                {"parts": ["specification"], "text": "Changed."},
            ),
            (
                url("partners:tenders-deadline", round_two),
                date_fields("deadline", before + timedelta(days=3)),
            ),
        ]  # fmt: skip
        for address, data in posts:
            assert client.post(address, data).status_code == 403
    assert not ChangeNotice.objects.exists()
    assert TenderRound.objects.filter(procurement=round_two.procurement).count() == 2
    round_two.refresh_from_db()
    assert round_two.deadline == before


# --- what the tenderers see ------------------------------------------------------------------


def test_each_tenderer_sees_the_notices_and_only_its_own_notes(personas, login, round_one):
    proposals = {p.request.organisation_id: p for p in Proposal.objects.filter(round=round_one)}
    for org, secret in ((personas.org_a, "A-ONLY-pricing"), (personas.org_b, "B-ONLY-pricing")):
        negotiation_note_add(
            actor=personas.officer_a,
            tender_round=round_one,
            request=proposals[org.pk].request,
            kind="note",
            text=secret,
        )
    moment = far()
    round_two = round_next(
        actor=personas.officer_a,
        procurement=round_one.procurement,
        kind="negotiation",
        deadline=moment,
        opens_at=moment,
    )
    login(personas.officer_a).post(
        url("partners:tenders-change-notice", round_two),
        {"parts": ["ip_terms"], "text": "The licence terms change."},
    )
    assert ChangeNotice.objects.count() == 1
    mine = {
        personas.supplier_a_admin: proposal_submitted(
            personas, round_two, personas.supplier_a_admin
        ),
        personas.supplier_b_admin: proposal_submitted(
            personas, round_two, personas.supplier_b_admin
        ),
    }

    for admin, own, other in (
        (personas.supplier_a_admin, "A-ONLY-pricing", "B-ONLY-pricing"),
        (personas.supplier_b_admin, "B-ONLY-pricing", "A-ONLY-pricing"),
    ):
        text = login(admin).get(reverse("tenders:proposal", kwargs={"pk": mine[admin].pk}))
        text = text.content.decode()
        assert "The licence terms change." in text
        assert "Intellectual property terms" in text
        assert own in text
        assert other not in text


def test_the_notes_page_of_a_sealed_round_names_no_tenderer(personas, login, round_two):
    proposal_submitted(personas, round_two, personas.supplier_a_admin)
    response = login(personas.officer_a).get(url("partners:tenders-notes", round_two))

    text = response.content.decode()
    assert response.status_code == 200
    assert 'id="cannot-add"' in text
    assert "Alpha Robotics Ltd" not in text
    assert "Add the note" not in text


def test_a_change_notice_reaches_only_the_pages_of_the_tenderers_it_was_sent_to(
    personas, login, round_two
):
    login(personas.officer_a).post(
        url("partners:tenders-change-notice", round_two),
        {"parts": ["ip_terms"], "text": "The licence terms change."},
    )
    invited = round_two.procurement.participation_requests.filter(status="shortlisted")
    in_round_two = {r.pk for r in remaining_tenderers(round_two)}
    left_out = invited.exclude(pk__in=in_round_two).get()

    assert [n.text for n in change_notices_for(left_out)] == []
    for request in invited.filter(pk__in=in_round_two):
        assert [n.text for n in change_notices_for(request)] == ["The licence terms change."]
