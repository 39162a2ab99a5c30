"""The public opportunities: the list with its search and filters, and one opportunity.

No sign-in is needed. What a procurement shows, and whether it exists publicly at all,
is decided by procurements/selectors_public.py (and the public reads of selectors_market.py),
the same for everyone.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from core.calendar import london_date
from core.permissions import is_supplier
from procurements.forms_public import OpportunityFilterForm
from procurements.permissions_market import questions_open
from procurements.sections import uk_date_text, uk_datetime_text
from procurements.selectors_market import engagement_event_list, question_list_public
from procurements.selectors_public import (
    PAGE_SIZE,
    PublicStatus,
    borough_choices,
    opportunity_amendments,
    opportunity_card,
    opportunity_followed_by,
    opportunity_get,
    opportunity_itt,
    opportunity_list,
    opportunity_notices,
    opportunity_published_timetable,
    opportunity_requirements,
    published_engagement,
)
from procurements.views.common import event_rows

# Public status -> GOV.UK tag modifier.
STATUS_TAGS = {
    PublicStatus.OPEN: "govuk-tag--green",
    PublicStatus.ENGAGEMENT: "govuk-tag--light-blue",
    PublicStatus.CLOSED: "govuk-tag--grey",
    PublicStatus.CANCELLED: "govuk-tag--red",
}


def url_or_blank(name: str, **kwargs) -> str:
    """The URL named ``name``, or "" where the portal has no such page."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return ""


def uk_day_text(value) -> str:
    """The day of a moment in UK time, like "27 March 2026"."""
    return uk_date_text(london_date(value)) if value else ""


def _status(procurement) -> dict[str, str]:
    status = PublicStatus(procurement.public_status)
    return {"value": status.value, "label": status.label, "tag": STATUS_TAGS[status]}


@require_safe
def opportunity_list_page(request):
    form = OpportunityFilterForm(request.GET, boroughs=borough_choices())
    form.is_valid()  # errors are shown; the fields typed correctly still filter
    page = Paginator(opportunity_list(filters=form.filters()), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    results = [
        {
            **opportunity_card(procurement),
            "pk": procurement.pk,
            "borough": procurement.borough.name,
            "status": _status(procurement),
            "closing": uk_datetime_text(procurement.closing_at),
        }
        for procurement in page.object_list
    ]
    context = {
        "page_title": "Find opportunities",
        "form": form,
        "page": page,
        "results": results,
        "elided_pages": page.paginator.get_elided_page_range(page.number, on_each_side=2),
    }
    return render(request, "procurements/public/list.html", context)


def _questions_panel(procurement, now) -> dict[str, str]:
    """Whether questions may still be asked (``questions_open``, as the ask page decides), and
    the line to show once their deadline has passed."""
    deadline = procurement.question_deadline
    if procurement.public_status not in (PublicStatus.OPEN, PublicStatus.CLOSED):
        return {"open": False, "closed_text": ""}
    if deadline is not None and deadline <= now:
        return {"open": False, "closed_text": uk_datetime_text(deadline)}
    return {"open": questions_open(procurement, now=now), "closed_text": ""}


def _actions(request, procurement, now) -> dict:
    """The calls to action: follow and ask for signed-in suppliers, sign in for others."""
    pk = procurement.pk
    may_act = procurement.public_status in (PublicStatus.OPEN, PublicStatus.ENGAGEMENT)
    user = request.user
    supplier = may_act and is_supplier(user)
    detail_url = reverse("opportunities:detail", kwargs={"pk": pk})
    return {
        "may_act": may_act,
        "signed_in": user.is_authenticated,
        "supplier": supplier,
        "following": supplier and opportunity_followed_by(procurement, user),
        "follow_url": url_or_blank("opportunities:follow", pk=pk),
        "unfollow_url": url_or_blank("opportunities:unfollow", pk=pk),
        "ask_url": url_or_blank("opportunities:ask", pk=pk),
        "my_questions_url": url_or_blank("opportunities:my-questions", pk=pk),
        "sign_in_url": f"{reverse('account_login')}?{urlencode({'next': detail_url})}",
        "questions": _questions_panel(procurement, now),
    }


def _timetable(procurement) -> dict:
    """The deadlines as they stand, and the indicative start of the partnership and each
    phase's dates as the latest publication version announced them."""
    published = opportunity_published_timetable(procurement)
    return {
        "question_deadline": uk_datetime_text(procurement.question_deadline),
        "participation_deadline": uk_datetime_text(procurement.participation_deadline),
        "indicative_tender_date": uk_date_text(procurement.indicative_tender_date),
        "indicative_start_date": published.get("indicative_start_date", ""),
        "partnership_dates": published.get("partnership_dates", []),
    }


def _amendment_rows(amendments) -> list[dict]:
    return [
        {"amendment": amendment, "date": uk_day_text(amendment.created_at)}
        for amendment in amendments
    ]


@require_safe
def opportunity_detail_page(request, pk: int):
    now = timezone.now()
    procurement = opportunity_get(pk=pk, now=now, with_published_content=True)
    if procurement is None:
        raise Http404("No such opportunity")
    engagement = published_engagement(procurement)
    call_public = procurement.call_public
    notices = [
        {
            "notice": notice,
            "title": notice.content.get("title") or notice.get_kind_display(),
            "published": uk_day_text(notice.published_at),
            "url": url_or_blank("opportunities:notice", pk=pk, notice_pk=notice.pk),
        }
        for notice in opportunity_notices(procurement)
    ]
    questions = [
        {"question": question, "answered": uk_day_text(question["answered_at"])}
        for question in (question_list_public(procurement=procurement) if call_public else [])
    ]
    card = opportunity_card(procurement)
    context = {
        "page_title": card["title"],
        "title": card["title"],
        "procurement": procurement,
        "call_public": call_public,
        "status": _status(procurement),
        "engagement": engagement,
        "events": event_rows(engagement_event_list(engagement=engagement)),
        "requirements": opportunity_requirements(procurement),
        "questions": questions,
        "notices": notices,
        "amendments": _amendment_rows(opportunity_amendments(procurement)),
        "itt": opportunity_itt(procurement),
        "itt_url": url_or_blank("opportunities:itt-download", pk=pk),
        "timetable": _timetable(procurement) if call_public else None,
        "cancelled_on": uk_datetime_text(procurement.cancelled_at),
        "actions": _actions(request, procurement, now),
    }
    return render(request, "procurements/public/detail.html", context)
