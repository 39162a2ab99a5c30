"""Officers and administrators sign in with an authenticator app, every time.

allauth's MFA cannot require an authenticator for a group of users, so this
middleware does it for officers, staff and superusers (``needs_officer_mfa``):

- without an authenticator yet, they are sent to the TOTP set-up page until
  they have one;
- with one, the session must show that it passed the authenticator step:
  allauth records each step of a sign-in in the session, and a session that
  records no "mfa" step (a sign-in that went round allauth's second step, or one
  from before the authenticator existed) is signed out and sent to sign in again.
"""

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

from core.audit import audit_record
from core.permissions import needs_officer_mfa

# Pages an officer without an authenticator may still open: setting one up
# (with its re-authentication and recovery codes), signing out, the public home.
ALLOWED_URL_NAMES = frozenset(
    {
        "mfa_activate_totp",
        "mfa_index",
        "mfa_view_recovery_codes",
        "mfa_download_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_reauthenticate",
        "account_reauthenticate",
        "account_logout",
        "core:home",
    }
)
ALLOWED_PATH_PREFIXES = ("/health/",)
SIGN_IN_AGAIN = (
    "For your security you have been signed out. Sign in again with the code from your "
    "authenticator app."
)


def _unchecked(path: str) -> bool:
    """Paths that never carry a person's page: health checks and static files."""
    prefixes = (*ALLOWED_PATH_PREFIXES, settings.STATIC_URL, settings.MEDIA_URL)
    return path.startswith(tuple(p for p in prefixes if p))


def _allowed_while_setting_up(path: str) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return True  # let the 404 page show
    return match.view_name in ALLOWED_URL_NAMES


def _totp(user) -> Authenticator | None:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()


def passed_authenticator_step(request, user) -> bool:
    """This session's sign-in (or a later confirmation) included the authenticator app."""
    return any(
        record.get("method") == "mfa" for record in get_authentication_records(request, user)
    )


def _sign_out_and_ask_again(request, user):
    audit_record(
        actor=user,
        action="auth.authenticator_step_missing",
        target=user,
        data={"path": request.path_info[:200]},
    )
    logout(request)
    messages.error(request, SIGN_IN_AGAIN)
    return redirect_to_login(request.get_full_path(), login_url=reverse("account_login"))


class OfficerMFARequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.officer_mfa_pending = False
        user = getattr(request, "user", None)
        if user is None or _unchecked(request.path_info) or not needs_officer_mfa(user):
            return self.get_response(request)

        if _totp(user) is not None:
            if not passed_authenticator_step(request, user):
                return _sign_out_and_ask_again(request, user)
            return self.get_response(request)

        request.officer_mfa_pending = True
        if not _allowed_while_setting_up(request.path_info):
            return redirect("mfa_activate_totp")
        response = self.get_response(request)
        self._record_activation(request, user)
        return response

    @staticmethod
    def _record_activation(request, user) -> None:
        """Setting up the app takes a code from it: that counts as this session's app step.

        It is recorded as a fresh confirmation too (as allauth's own
        re-authentication with the app would be), so the recovery codes shown
        straight after set-up open without asking for the password again.
        """
        match = request.resolver_match
        if request.method != "POST" or match is None or match.view_name != "mfa_activate_totp":
            return
        if not request.user.is_authenticated or request.user.pk != user.pk:
            return  # signed out during the request
        authenticator = _totp(user)
        if authenticator is not None:
            record_authentication(
                request,
                user,
                "mfa",
                id=authenticator.pk,
                type=authenticator.type,
                activated=True,
                reauthenticated=True,
            )
