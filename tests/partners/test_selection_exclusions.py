"""An officer excludes a request on a discretionary ground of the regime, with reasons: it
no longer qualifies, the shortlist marks it excluded with those reasons, and the record
shows who decided."""

import pytest
from django.urls import reverse

from core.exceptions import ApplicationError, PermissionRefused
from core.models import AuditEvent
from partners.models import DiscretionaryExclusion, Outcome
from partners.services_selection import discretionary_exclusion_record
from partners.submission import exclusion_grounds
from tests.partners.selection_samples import assess, in_selection, propose

pytestmark = pytest.mark.django_db

REASONS = "Two contracts ended early for poor performance in 2024; no evidence of change."


def _discretionary(procurement):
    return next(g for g in exclusion_grounds(procurement) if not g.mandatory)


def _mandatory(procurement):
    return next(g for g in exclusion_grounds(procurement) if g.mandatory)


def test_an_excluded_request_does_not_qualify_and_the_shortlist_says_why(personas):
    selection = in_selection(personas, requests=4)
    assess(personas, selection, scores=[5, 4, 3, 2])
    first = selection.requests[0]
    ground = _discretionary(selection.procurement)

    discretionary_exclusion_record(
        actor=personas.officer_a, request=first, ground=ground.key, reason=REASONS
    )

    shortlist = propose(personas, selection, selection.requests[1:])
    entry = shortlist.entries.get(request=first)
    assert entry.outcome == Outcome.EXCLUDED
    assert entry.rank is None
    assert f"Excluded on a discretionary ground ({ground.label}): {REASONS}" in entry.reasons
    event = AuditEvent.objects.get(action="partners.request_excluded")
    assert event.actor == personas.officer_a
    assert event.data["ground"] == ground.key
    assert REASONS not in str(event.data)


def test_only_a_discretionary_ground_of_the_regime_and_a_reason_will_do(personas):
    selection = in_selection(personas, requests=3)
    request = selection.requests[0]
    procurement = selection.procurement

    for ground, reason, field in (
        (_mandatory(procurement).key, REASONS, "ground"),
        ("not-a-ground", REASONS, "ground"),
        (_discretionary(procurement).key, "   ", "reason"),
    ):
        with pytest.raises(ApplicationError) as refusal:
            discretionary_exclusion_record(
                actor=personas.officer_a, request=request, ground=ground, reason=reason
            )
        assert not isinstance(refusal.value, PermissionRefused)
        assert field in refusal.value.extra["errors"]
    assert not DiscretionaryExclusion.objects.exists()


@pytest.mark.parametrize("who", ["approver_a", "evaluator_a", "officer_b", "supplier_a_admin"])
def test_only_the_boroughs_officers_exclude(personas, who):
    selection = in_selection(personas, requests=3)

    with pytest.raises(PermissionRefused):
        discretionary_exclusion_record(
            actor=getattr(personas, who),
            request=selection.requests[0],
            ground=_discretionary(selection.procurement).key,
            reason=REASONS,
        )


def test_no_exclusion_once_a_shortlist_is_proposed(personas):
    selection = in_selection(personas, requests=4)
    assess(personas, selection, scores=[5, 4, 3, 2])
    propose(personas, selection, selection.requests[:3])

    with pytest.raises(ApplicationError, match="A shortlist has been proposed"):
        discretionary_exclusion_record(
            actor=personas.officer_a,
            request=selection.requests[3],
            ground=_discretionary(selection.procurement).key,
            reason=REASONS,
        )


def test_the_page_excludes_and_keeps_what_was_typed_when_refused(personas, login):
    selection = in_selection(personas, requests=3)
    request = selection.requests[1]
    url = reverse(
        "partners:selection-exclude",
        kwargs={"pk": selection.procurement.pk, "request_pk": request.pk},
    )
    officer = login(personas.officer_a)
    ground = _discretionary(selection.procurement)

    refused = officer.post(url, {"reason": REASONS})
    assert refused.status_code == 200
    assert "Choose the discretionary exclusion ground" in refused.content.decode()
    assert REASONS in refused.content.decode()

    assert officer.post(url, {"ground": ground.key, "reason": REASONS}).status_code == 302
    dashboard = officer.get(reverse("partners:selection", kwargs={"pk": selection.procurement.pk}))
    assert "Excluded</strong> on a discretionary ground" in dashboard.content.decode()


def test_the_approver_is_asked_by_e_mail_once_the_shortlist_is_proposed(
    personas, django_capture_on_commit_callbacks
):
    from django.core import mail

    selection = in_selection(personas, requests=3)
    assess(personas, selection, scores=[5, 4, 3])

    with django_capture_on_commit_callbacks(execute=True):
        propose(personas, selection, selection.requests)

    [message] = [m for m in mail.outbox if m.subject.startswith("Shortlist to decide")]
    assert message.to == [personas.approver_a.email]
    assert (
        reverse("partners:selection-decide", kwargs={"pk": selection.procurement.pk})
        in message.body
    )
