"""Home pages, the supplier organisation's pages and invitations, and the lockout page."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_http_methods, require_POST

from core.exceptions import ApplicationError
from core.forms import InvitationSignupForm, OrganisationProfileForm, SupplierInviteForm
from core.models import OfficerRole, SupplierRole, User
from core.page_links import SUPPLIER_HOME
from core.permissions import is_officer, is_organisation_admin, is_supplier
from core.selectors.accounts import (
    officer_membership_list,
    supplier_invitation_get,
    supplier_invitation_list,
    supplier_member_list,
    supplier_membership_get,
)
from core.services.accounts import (
    supplier_invitation_accept,
    supplier_invitation_check,
    supplier_invitation_send_again,
    supplier_invitation_signup,
    supplier_invite,
    supplier_organisation_update,
)

SESSION_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"

# What each officer role can do, shown on the officer home.
ROLE_DESCRIPTIONS = {
    OfficerRole.OFFICER: "Build procurements and run every step: the call, selection, "
    "negotiation, award and the R&D stages.",
    OfficerRole.APPROVER: "Approve publication, award and stage-gate decisions. You can never "
    "approve a decision you wrote.",
    OfficerRole.EVALUATOR: "Declare any conflict of interest, score proposals independently and "
    "take part in moderation.",
    OfficerRole.BOROUGH_ADMIN: "Create officer accounts and give or remove roles for the people "
    "of your borough.",
}


def home(request):
    """The public home page: what the portal is for, and how to get in."""
    return render(request, "core/home_public.html", {"page_title": "Innovation partnerships"})


@login_required
def dashboard(request):
    """Where sign-in lands: each kind of person goes to their own home."""
    user = request.user
    if is_officer(user):
        return redirect("core:officer-home")
    if is_supplier(user):
        return redirect("core:supplier-home")
    if user.is_staff or user.is_superuser:
        return redirect("admin:index")
    return render(request, "core/dashboard_no_role.html", {"page_title": "Your account"})


@login_required
def officer_home(request):
    if not is_officer(request.user):
        raise PermissionDenied("Only officers of a borough can open this page.")
    boroughs: dict = {}
    for membership in officer_membership_list(user=request.user):
        roles = boroughs.setdefault(membership.borough, [])
        roles.append(
            {
                "role": membership.role,
                "label": membership.get_role_display(),
                "description": ROLE_DESCRIPTIONS[membership.role],
            }
        )
    is_admin = any(r["role"] == OfficerRole.BOROUGH_ADMIN for rs in boroughs.values() for r in rs)
    return render(
        request,
        "core/officer_home.html",
        {"page_title": "Your boroughs", "boroughs": boroughs, "is_borough_admin": is_admin},
    )


def _own_membership(request):
    """The signed-in supplier's membership; officers and others may not open supplier pages."""
    membership = supplier_membership_get(user=request.user)
    if membership is None:
        raise PermissionDenied("Only members of a supplier organisation can open this page.")
    return membership


@login_required
def supplier_home(request):
    membership = _own_membership(request)
    return render(
        request,
        "core/supplier_home.html",
        {
            "page_title": membership.organisation.name,
            "membership": membership,
            "organisation": membership.organisation,
            "is_admin": membership.role == SupplierRole.ADMIN,
            "work_links": SUPPLIER_HOME.links(),
        },
    )


@login_required
def organisation_profile(request):
    membership = _own_membership(request)
    return render(
        request,
        "core/organisation/profile.html",
        {
            "page_title": "Organisation profile",
            "organisation": membership.organisation,
            "is_admin": is_organisation_admin(request.user, membership.organisation),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request):
    organisation = _own_membership(request).organisation
    if not is_organisation_admin(request.user, organisation):
        raise PermissionDenied("Only an organisation admin can change the profile.")
    form = OrganisationProfileForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            supplier_organisation_update(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "The organisation profile has been updated.")
            return redirect("core:organisation-profile")
    return render(
        request,
        "core/organisation/edit.html",
        {"page_title": "Change the organisation profile", "form": form},
    )


@login_required
def organisation_members(request):
    membership = _own_membership(request)
    is_admin = is_organisation_admin(request.user, membership.organisation)
    return render(
        request,
        "core/organisation/members.html",
        {
            "page_title": "Members",
            "organisation": membership.organisation,
            "members": supplier_member_list(user=request.user),
            "invitations": supplier_invitation_list(user=request.user) if is_admin else [],
            "is_admin": is_admin,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_invite(request):
    organisation = _own_membership(request).organisation
    if not is_organisation_admin(request.user, organisation):
        raise PermissionDenied("Only an organisation admin can invite colleagues.")
    form = SupplierInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = supplier_invite(
                actor=request.user,
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                base_url=request.build_absolute_uri("/"),
            )
        except ApplicationError as error:
            form.add_error("email", error.message)
        else:
            messages.success(request, f"We are sending an invitation to {invitation.email}.")
            return redirect("core:organisation-members")
    return render(
        request,
        "core/organisation/invite.html",
        {"page_title": "Invite a colleague", "form": form, "organisation": organisation},
    )


@login_required
@require_POST
def organisation_invitation_send_again(request, pk: int):
    """Send again an invitation whose e-mail has not gone (the mail queue was unreachable)."""
    organisation = _own_membership(request).organisation
    if not is_organisation_admin(request.user, organisation):
        raise PermissionDenied("Only an organisation admin can send invitations.")
    invitation = supplier_invitation_list(user=request.user).filter(pk=pk).first()
    if invitation is None:
        raise Http404("No such invitation")
    try:
        supplier_invitation_send_again(
            actor=request.user, invitation=invitation, base_url=request.build_absolute_uri("/")
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"We are sending the invitation to {invitation.email} again.")
    return redirect("core:organisation-members")


@require_http_methods(["GET", "POST"])
def invitation_accept(request, token: str):
    """Accept an invitation: sign up with the invited address, or join as the signed-in person."""
    invitation = supplier_invitation_get(token=token)
    if invitation is None:
        raise Http404("No such invitation")
    context = {"page_title": "Join an organisation", "invitation": invitation}
    try:
        supplier_invitation_check(invitation=invitation, user=request.user)
    except ApplicationError as error:
        context["refusal"] = error.message
        return render(request, "core/invitations/refused.html", context)

    if request.user.is_authenticated:
        if request.method == "POST":
            try:
                supplier_invitation_accept(invitation=invitation, user=request.user)
            except ApplicationError as error:
                context["refusal"] = error.message
                return render(request, "core/invitations/refused.html", context)
            messages.success(request, f"You have joined {invitation.organisation.name}.")
            return redirect("core:supplier-home")
        return render(request, "core/invitations/join.html", context)

    login_url = f"{reverse('account_login')}?next={request.path}"
    if User.objects.filter(email=invitation.email.lower()).exists():
        context["login_url"] = login_url
        return render(request, "core/invitations/sign_in_first.html", context)
    form = InvitationSignupForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = supplier_invitation_signup(
                invitation=invitation,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            login(request, user, backend=SESSION_BACKEND)
            messages.success(
                request, f"Your account is ready: you have joined {invitation.organisation.name}."
            )
            return redirect("core:supplier-home")
    context.update(form=form, login_url=login_url)
    return render(request, "core/invitations/sign_up.html", context)


def admin_sign_in(request, extra_context=None):
    """The admin's own sign-in form: everyone signs in through the portal's sign-in instead.

    Django's admin form checks only the password, so it would let officers and
    administrators in without their authenticator app. Where the admin asks
    people to sign in, they are sent to the portal's sign-in, which comes back.
    """
    next_url = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("admin:index")
    return redirect(f"{reverse('account_login')}?{urlencode({REDIRECT_FIELD_NAME: next_url})}")


def _duration_text(delta: timedelta) -> str:
    minutes = max(1, round(delta.total_seconds() / 60))
    if minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} hour" if hours == 1 else f"{hours} hours"
    return f"{minutes} minute" if minutes == 1 else f"{minutes} minutes"


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' lockout page (AXES_LOCKOUT_CALLABLE): how long, and what to do."""
    from axes.helpers import get_client_username, get_cool_off, get_failure_limit

    cool_off = get_cool_off(request)
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "username": get_client_username(request, credentials) or "",
        "cooloff_text": _duration_text(cool_off) if cool_off else "",
        "page_title": "Your account is locked",
    }
    return render(request, "account/lockout.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
