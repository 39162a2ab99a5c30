"""The supplier's pages of a consortium: the lead's page of members and subcontractors, a
member organisation's invitations, and each organisation's exclusion declarations.

Who sees what: the lead organisation's people see its request's consortium page; a member
organisation's people see only the consortia it is named in and their own declarations;
anyone else gets 404 (a request they may not see looks like one that does not exist).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from core.exceptions import ApplicationError, PermissionRefused
from core.permissions import is_organisation_admin
from core.selectors.accounts import supplier_membership_get

from .forms_consortia import (
    ConsortiumDeclineForm,
    ConsortiumMemberAddForm,
    ConsortiumMemberChangeForm,
    ExclusionDeclarationsForm,
    SubcontractorForm,
)
from .models import CHANGEABLE, ParticipationRequest
from .selectors_consortia import (
    consortium_invitation_get,
    consortium_invitation_list,
    consortium_member_list,
    declaration_map,
    declaring_request_get,
    request_get_for_lead,
)
from .selectors_letters import DECIDED, selection_letters
from .services_consortia import (
    consortium_member_add,
    consortium_member_change,
    consortium_member_confirm,
    consortium_member_decline,
    consortium_member_remove,
    declarations_save,
    subcontractor_add,
    subcontractor_remove,
)
from .submission import exclusion_grounds, participation_closed_message, participation_open
from .views_common import perform, refusal_of


def _posted(request):
    return request.POST if request.method == "POST" else None


def _lead_request_or_404(request, pk: int) -> ParticipationRequest:
    participation = request_get_for_lead(user=request.user, pk=pk)
    if participation is None:
        raise Http404("No such request")
    return participation


def _closed_message(participation: ParticipationRequest) -> str:
    """Why the request cannot change now, or "" while it can."""
    if participation.status not in CHANGEABLE:
        return (
            f"This request is {participation.get_status_display().lower()}: it cannot be "
            "changed now."
        )
    if not participation_open(participation.procurement, now=timezone.now()):
        return participation_closed_message(participation.procurement)
    return ""


def _caption(participation: ParticipationRequest) -> str:
    procurement = participation.procurement
    return f"{procurement.reference} {procurement.title}"


def _page(request, template: str, participation: ParticipationRequest, **context):
    return render(
        request,
        f"partners/consortia/{template}",
        {
            "participation": participation,
            "procurement": participation.procurement,
            "caption": _caption(participation),
            "closed": _closed_message(participation),
            **context,
        },
    )


# --- the lead's pages ------------------------------------------------------------------------


@login_required
def consortium(request, pk: int):
    participation = _lead_request_or_404(request, pk)
    members = list(consortium_member_list(request=participation))
    members_share = sum(member.share_of_work for member in members)
    return _page(
        request,
        "consortium.html",
        participation,
        page_title=f"Consortium and subcontractors – {_caption(participation)}",
        members=members,
        members_share=members_share,
        lead_share=100 - members_share,
        subcontractors=list(participation.subcontractors.order_by("name", "pk")),
    )


@login_required
@require_http_methods(["GET", "POST"])
def consortium_member_add_view(request, pk: int):
    participation = _lead_request_or_404(request, pk)
    form = ConsortiumMemberAddForm(_posted(request))
    if form.is_valid():
        try:
            member = consortium_member_add(
                actor=request.user, request=participation, **form.cleaned_data
            )
        except PermissionRefused as error:
            raise PermissionDenied(error.message) from error
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                f"{member.organisation.name} added. Its organisation admins have been asked "
                "to confirm.",
            )
            return redirect("requests:consortium", pk=participation.pk)
    return _page(
        request,
        "member_form.html",
        participation,
        page_title=f"Add a member – {_caption(participation)}",
        form=form,
    )


def _member_or_404(participation: ParticipationRequest, member_pk: int):
    member = participation.members.select_related("organisation").filter(pk=member_pk).first()
    if member is None:
        raise Http404("No such member")
    return member


@login_required
@require_http_methods(["GET", "POST"])
def consortium_member_change_view(request, pk: int, member_pk: int):
    participation = _lead_request_or_404(request, pk)
    member = _member_or_404(participation, member_pk)
    initial = {"role": member.role, "share_of_work": member.share_of_work}
    form = ConsortiumMemberChangeForm(_posted(request), initial=initial)
    if form.is_valid():
        try:
            consortium_member_change(actor=request.user, member=member, **form.cleaned_data)
        except PermissionRefused as error:
            raise PermissionDenied(error.message) from error
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            return redirect("requests:consortium", pk=participation.pk)
    return _page(
        request,
        "member_form.html",
        participation,
        page_title=f"Change {member.organisation.name} – {_caption(participation)}",
        form=form,
        member=member,
    )


@login_required
@require_http_methods(["GET", "POST"])
def consortium_member_remove_view(request, pk: int, member_pk: int):
    participation = _lead_request_or_404(request, pk)
    member = _member_or_404(participation, member_pk)
    error = None
    if request.method == "POST":
        error = refusal_of(lambda: consortium_member_remove(actor=request.user, member=member))
        if not error:
            messages.success(request, f"{member.organisation.name} removed from the consortium.")
            return redirect("requests:consortium", pk=participation.pk)
    return _page(
        request,
        "member_remove.html",
        participation,
        page_title=f"Remove {member.organisation.name} – {_caption(participation)}",
        member=member,
        error=error,
    )


@login_required
@require_http_methods(["GET", "POST"])
def subcontractor_add_view(request, pk: int):
    participation = _lead_request_or_404(request, pk)
    form = SubcontractorForm(_posted(request))
    if form.is_valid():
        try:
            subcontractor_add(actor=request.user, request=participation, **form.cleaned_data)
        except PermissionRefused as error:
            raise PermissionDenied(error.message) from error
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            return redirect("requests:consortium", pk=participation.pk)
    return _page(
        request,
        "subcontractor_form.html",
        participation,
        page_title=f"Add a subcontractor – {_caption(participation)}",
        form=form,
    )


@login_required
@require_http_methods(["GET", "POST"])
def subcontractor_remove_view(request, pk: int, subcontractor_pk: int):
    participation = _lead_request_or_404(request, pk)
    subcontractor = participation.subcontractors.filter(pk=subcontractor_pk).first()
    if subcontractor is None:
        raise Http404("No such subcontractor")
    error = None
    if request.method == "POST":
        try:
            subcontractor_remove(actor=request.user, subcontractor=subcontractor)
        except PermissionRefused as refusal:
            raise PermissionDenied(refusal.message) from refusal
        except ApplicationError as refusal:
            error = refusal.message
        else:
            messages.success(request, f"{subcontractor.name} removed.")
            return redirect("requests:consortium", pk=participation.pk)
    return _page(
        request,
        "subcontractor_remove.html",
        participation,
        page_title=f"Remove {subcontractor.name} – {_caption(participation)}",
        subcontractor=subcontractor,
        error=error,
    )


# --- a member organisation's pages -----------------------------------------------------------


@login_required
def consortium_invitations(request):
    membership = supplier_membership_get(user=request.user)
    if membership is None:
        raise PermissionDenied("Only members of a supplier organisation can open this page.")
    now = timezone.now()
    members = list(consortium_invitation_list(user=request.user))
    letters = selection_letters(
        request_ids=[m.request_id for m in members if m.request.status in DECIDED]
    )
    rows = [
        {
            "member": member,
            "participation": member.request,
            "decided": member.request.status in DECIDED,
            "letter": letters.get(member.request_id),
            "others": [
                other.organisation.name
                for other in member.request.members.all()
                if other.pk != member.pk
            ],
            "grounds": len(exclusion_grounds(member.request.procurement)),
            "open": member.request.status in CHANGEABLE
            and participation_open(member.request.procurement, now=now),
        }
        for member in members
    ]
    return render(
        request,
        "partners/consortia/invitations.html",
        {
            "page_title": "Consortia you are named in",
            "organisation": membership.organisation,
            "is_admin": is_organisation_admin(request.user, membership.organisation),
            "rows": rows,
        },
    )


def _invitation_or_404(request, pk: int):
    member = consortium_invitation_get(user=request.user, request_pk=pk)
    if member is None:
        raise Http404("No such consortium")
    return member


@login_required
@require_POST
def consortium_invitation_confirm(request, pk: int):
    member = _invitation_or_404(request, pk)
    perform(
        request,
        lambda: consortium_member_confirm(actor=request.user, member=member),
        success=f"You confirmed that {member.organisation.name} is in the consortium led by "
        f"{member.request.organisation.name}.",
    )
    return redirect("requests:consortium-invitations")


@login_required
@require_http_methods(["GET", "POST"])
def consortium_invitation_decline(request, pk: int):
    member = _invitation_or_404(request, pk)
    if not is_organisation_admin(request.user, member.organisation):
        raise PermissionDenied(
            f"Only an organisation admin of {member.organisation.name} can decline."
        )
    form = ConsortiumDeclineForm(_posted(request))
    error = None
    if form.is_valid():
        try:
            consortium_member_decline(
                actor=request.user, member=member, reason=form.cleaned_data["reason"]
            )
        except PermissionRefused as refusal:
            raise PermissionDenied(refusal.message) from refusal
        except ApplicationError as refusal:
            error = refusal.message
        else:
            messages.success(
                request,
                f"You declined. {member.organisation.name} is no longer in the consortium led "
                f"by {member.request.organisation.name}, which has been told.",
            )
            return redirect("requests:consortium-invitations")
    return _page(
        request,
        "decline.html",
        member.request,
        page_title=f"Decline – {_caption(member.request)}",
        member=member,
        form=form,
        error=error,
    )


# --- exclusion declarations, each organisation for itself ------------------------------------


def _declarations_back(participation: ParticipationRequest, *, is_lead: bool) -> dict:
    if is_lead:
        return {
            "back_url": reverse("requests:detail", kwargs={"pk": participation.pk}),
            "back_text": "Back to the request",
        }
    return {
        "back_url": reverse("requests:consortium-invitations"),
        "back_text": "Back to the consortia you are named in",
    }


@login_required
@require_http_methods(["GET", "POST"])
def exclusions(request, pk: int, organisation_pk: int):
    found = declaring_request_get(user=request.user, pk=pk, organisation_pk=organisation_pk)
    if found is None:
        raise Http404("No such request")
    participation, organisation = found
    # Mandatory grounds first, each group in the regime's order.
    grounds = sorted(exclusion_grounds(participation.procurement), key=lambda g: not g.mandatory)
    form = ExclusionDeclarationsForm(
        _posted(request),
        grounds=grounds,
        declarations=declaration_map(request=participation, organisation=organisation),
        organisation_name=organisation.name,
    )
    is_lead = organisation.pk == participation.organisation_id
    if form.is_valid():
        try:
            declarations_save(
                actor=request.user,
                request=participation,
                organisation=organisation,
                answers=form.answers(),
            )
        except PermissionRefused as error:
            raise PermissionDenied(error.message) from error
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request, f"The exclusion declarations of {organisation.name} are saved."
            )
            if is_lead:
                return redirect("requests:detail", pk=participation.pk)
            return redirect("requests:consortium-invitations")
    return render(
        request,
        "partners/exclusions/declarations.html",
        {
            "page_title": f"Exclusion grounds: {organisation.name} – {_caption(participation)}",
            "participation": participation,
            "procurement": participation.procurement,
            "caption": _caption(participation),
            "organisation": organisation,
            "is_lead": is_lead,
            "closed": _closed_message(participation),
            **_declarations_back(participation, is_lead=is_lead),
            "form": form,
        },
    )
