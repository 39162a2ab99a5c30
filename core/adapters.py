"""How allauth fits the portal: where people land after signing in, and who may sign up."""

import time

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.urls import reverse

from core.permissions import needs_officer_mfa


class PortalAccountAdapter(DefaultAccountAdapter):
    """Sign-up is for suppliers only.

    The sign-up form (``core.forms.SupplierSignupForm``) always creates a
    supplier organisation; nothing reachable from here creates an officer
    membership or staff rights. Officers are created by their borough
    administrator (``core.services.accounts.officer_create``).
    """

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": "The e-mail address or password is not correct",
        "account_inactive": "This account is switched off",
    }

    def save_user(self, request, user, form, commit=True):
        # Whatever was posted, a self-registered account never gets staff powers.
        user.is_staff = False
        user.is_superuser = False
        return super().save_user(request, user, form, commit=commit)

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """An officer setting up their first authenticator app straight after signing in
        is not asked for their password again (officers are sent there from sign-in).

        Only that: the TOTP set-up page, for someone who must use an app and has none
        yet, within allauth's re-authentication window of their sign-in. Everything
        else (recovery codes, removing an app, a supplier adding one) asks as allauth
        does.
        """
        required = super().is_reauthentication_required(app=app, **kwargs)
        request = context.request
        if not required or app != "allauth.mfa" or request is None:
            return required
        match = getattr(request, "resolver_match", None)
        if match is None or match.view_name != "mfa_activate_totp":
            return required
        user = request.user
        if not needs_officer_mfa(user) or Authenticator.objects.filter(user=user).exists():
            return required
        timeout = account_settings.REAUTHENTICATION_TIMEOUT
        return not any(
            time.time() - record["at"] < timeout
            for record in get_authentication_records(request, user)
        )

    def get_login_redirect_url(self, request) -> str:
        return reverse("core:dashboard")

    def get_signup_redirect_url(self, request) -> str:
        return reverse("core:dashboard")


class PortalMFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": (
            "The code is not correct. Enter the 6-digit code your authenticator app shows now"
        ),
    }
