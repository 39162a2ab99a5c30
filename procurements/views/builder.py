"""The procurement builder: list, create, task list, sections, check your answers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from core.exceptions import ApplicationError
from core.models import DocumentStatus
from core.permissions import is_officer
from procurements.forms import (
    ChallengeForm,
    MarketGapForm,
    ProcurementCreateForm,
    TeamForm,
    TimetableForm,
)
from procurements.forms_common import add_service_error
from procurements.models import SectionStatus
from procurements.permissions import can_edit_procurement
from procurements.permissions_amendments import (
    amendment_is_open,
    can_amend_procurement,
    editable_section_keys,
)
from procurements.permissions_publication import can_retry_itt, was_published
from procurements.registry import PROCUREMENT_PAGES, builder_section_get, builder_sections
from procurements.sections import uk_datetime_text
from procurements.selectors import (
    borough_list_for_procurement_creation,
    procurement_list,
    procurement_prefetch_sections,
    section_summary_rows,
)
from procurements.selectors_publication import itt_documents
from procurements.services.builder import (
    procurement_challenge_save,
    procurement_create,
    procurement_market_gap_save,
    procurement_team_save,
    procurement_timetable_save,
)
from procurements.services.sections import section_status
from procurements.views.common import procurement_for_edit, procurement_for_view

PAGE_SIZE = 25
# Section status -> (words, tag modifier); completed is plain text, as GOV.UK's task list does.
STATUS_TAGS = {
    SectionStatus.NOT_STARTED: ("Not started", "govuk-tag--blue"),
    SectionStatus.IN_PROGRESS: ("In progress", "govuk-tag--light-blue"),
    SectionStatus.COMPLETED: ("Completed", ""),
}


@login_required
def list_page(request):
    if not is_officer(request.user):
        raise PermissionDenied("Only officers of a borough can see its procurements.")
    page = Paginator(procurement_list(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [(p, uk_datetime_text(p.participation_deadline)) for p in page.object_list]
    context = {
        "page_title": "Procurements",
        "page": page,
        "rows": rows,
        "elided_pages": page.paginator.get_elided_page_range(page.number, on_each_side=2),
        "may_create": borough_list_for_procurement_creation(user=request.user).exists(),
    }
    return render(request, "procurements/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def create_page(request):
    boroughs = list(borough_list_for_procurement_creation(user=request.user))
    if not boroughs:
        raise PermissionDenied("Only procurement officers can create a procurement.")
    form = ProcurementCreateForm(request.POST or None, boroughs=boroughs)
    if request.method == "POST" and form.is_valid():
        try:
            procurement = procurement_create(
                actor=request.user, borough=form.chosen_borough(), title=form.cleaned_data["title"]
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"You have created {procurement.reference}.")
            return redirect("procurements:task-list", pk=procurement.pk)
    return render(
        request,
        "procurements/create.html",
        {"page_title": "Create a procurement", "form": form, "boroughs": boroughs},
    )


def _section_rows(procurement, user) -> list[dict]:
    """The task list's rows, each linked to its page if ``user`` may change it now (any
    section of a draft; after publication, while an amendment is being prepared, the
    sections amended on their own pages)."""
    rows = []
    editable = editable_section_keys(user, procurement)
    for section in builder_sections():
        may_edit = section.key in editable
        status = section_status(procurement, section.key)
        words, tag = STATUS_TAGS[status]
        rows.append(
            {
                "section": section,
                "status": status,
                "status_words": words,
                "status_tag": tag,
                "url": reverse(section.url_name, kwargs={"pk": procurement.pk}) if may_edit else "",
            }
        )
    return rows


def _published_panel(request, procurement) -> dict | None:
    """Once published: when, the public page, and the state of the latest ITT (with the
    ready one suppliers get meanwhile). One query for every ITT document."""
    if not was_published(procurement):
        return None
    documents = list(itt_documents(procurement))
    latest = documents[0] if documents else None
    ready = next((d for d in documents if d.status == DocumentStatus.READY), None)
    return {
        "date": uk_datetime_text(procurement.published_at),
        "opportunity_url": reverse("opportunities:detail", kwargs={"pk": procurement.pk}),
        "itt": latest,
        "itt_ready": ready,
        "itt_url": reverse("opportunities:itt-download", kwargs={"pk": procurement.pk}),
        "publication_url": reverse("procurements:publication", kwargs={"pk": procurement.pk}),
        "may_retry": can_retry_itt(request.user, procurement),
    }


@login_required
def task_list(request, pk: int):
    procurement = procurement_prefetch_sections(procurement_for_view(request, pk))
    may_edit = can_edit_procurement(request.user, procurement)
    rows = _section_rows(procurement, request.user)
    groups: dict[str, list[dict]] = {}
    for row in rows:
        groups.setdefault(row["section"].group, []).append(row)
    context = {
        "page_title": procurement.title,
        "procurement": procurement,
        "groups": groups,
        "completed_count": sum(row["status"] == SectionStatus.COMPLETED for row in rows),
        "section_count": len(rows),
        "may_edit": may_edit,
        "published": _published_panel(request, procurement),
        "links": PROCUREMENT_PAGES.links() if was_published(procurement) else [],
        "amending": (
            amendment_is_open(procurement) and can_amend_procurement(request.user, procurement)
        ),
    }
    return render(request, "procurements/task_list.html", context)


@login_required
def check_answers(request, pk: int):
    procurement = procurement_prefetch_sections(procurement_for_view(request, pk))
    may_edit = can_edit_procurement(request.user, procurement)
    cards = [
        {**row, "rows": section_summary_rows(row["section"], procurement)}
        for row in _section_rows(procurement, request.user)
    ]
    context = {
        "page_title": f"Check your answers – {procurement.title}",
        "procurement": procurement,
        "cards": cards,
        "not_completed": [c["section"] for c in cards if c["status"] != SectionStatus.COMPLETED],
        "may_edit": may_edit,
    }
    return render(request, "procurements/check_answers.html", context)


# --- this app's sections -----------------------------------------------------------------------


def _section_page(request, pk: int, *, key: str, form_class, save):
    """Show a section's form; on a good POST save it through ``save`` and go back to the list."""
    procurement = procurement_for_edit(request, pk)
    section = builder_section_get(key)
    form = form_class(request.POST or None, procurement=procurement)
    if request.method == "POST" and form.is_valid():
        try:
            save(
                actor=request.user,
                procurement=procurement,
                completed=form.cleaned_data["completed"],
                **form.values(),
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"You have saved “{section.title}”.")
            return redirect("procurements:task-list", pk=procurement.pk)
    context = {
        "procurement": procurement,
        "form": form,
        "section": section,
        "section_title": section.title,
    }
    return render(request, f"procurements/sections/{key}.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def challenge(request, pk: int):
    return _section_page(
        request, pk, key="challenge", form_class=ChallengeForm, save=procurement_challenge_save
    )


@login_required
@require_http_methods(["GET", "POST"])
def market_gap(request, pk: int):
    return _section_page(
        request, pk, key="market-gap", form_class=MarketGapForm, save=procurement_market_gap_save
    )


@login_required
@require_http_methods(["GET", "POST"])
def timetable(request, pk: int):
    return _section_page(
        request, pk, key="timetable", form_class=TimetableForm, save=procurement_timetable_save
    )


@login_required
@require_http_methods(["GET", "POST"])
def team(request, pk: int):
    return _section_page(request, pk, key="team", form_class=TeamForm, save=procurement_team_save)
