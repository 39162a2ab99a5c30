"""Officers and administrators must set up an authenticator app before any officer page opens.

allauth's MFA cannot require an authenticator for a group of users, so this
middleware sends them to the TOTP set-up page until they have one.
"""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.shortcuts import redirect
from django.urls import Resolver404, resolve

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


def _allowed(path: str) -> bool:
    prefixes = (*ALLOWED_PATH_PREFIXES, settings.STATIC_URL, settings.MEDIA_URL)
    if path.startswith(tuple(p for p in prefixes if p)):
        return True
    try:
        match = resolve(path)
    except Resolver404:
        return True  # let the 404 page show
    return match.view_name in ALLOWED_URL_NAMES


class OfficerMFARequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        request.officer_mfa_pending = bool(
            user is not None
            and needs_officer_mfa(user)
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        )
        if request.officer_mfa_pending and not _allowed(request.path_info):
            return redirect("mfa_activate_totp")
        return self.get_response(request)
