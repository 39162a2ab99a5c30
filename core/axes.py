"""Who is signing in, and from where, as django-axes counts failures.

``AXES_USERNAME_CALLABLE`` and ``AXES_CLIENT_IP_CALLABLE`` point here, and the
sign-in audit events ask the same functions (through ``axes.helpers``), so the
lockout and the audit trail always name the same account and address.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings

# The field names sign-in forms use for the account: allauth's credentials
# (``email``), allauth's form (``login``), Django's own forms (``username``).
ACCOUNT_FIELDS = ("email", "login", "username")


def _first_account_value(data) -> str | None:
    if not data:
        return None
    for field in ACCOUNT_FIELDS:
        value = data.get(field)
        if isinstance(value, str) and value.strip():
            return value.strip().lower()
    return None


def sign_in_account(request, credentials: dict | None = None) -> str | None:
    """The account a sign-in attempt is for, lower-cased, whichever form sent it.

    Any sign-in form counts against the same account, so a second form with
    other field names can never be used to keep guessing after a lockout.
    """
    found = _first_account_value(credentials)
    if found is None and request is not None:
        found = _first_account_value(getattr(request, "POST", None))
    return found


def client_ip_address(request) -> str | None:
    """The address of the person signing in.

    Without a proxy (``PORTAL_PROXY_COUNT`` 0) it is ``REMOTE_ADDR``. Behind
    ``PORTAL_PROXY_COUNT`` reverse proxies, each of which appends the address it
    received the request from to ``X-Forwarded-For``, it is the entry the
    outermost of our proxies wrote: the N-th from the right. Entries further left
    come from the client and can be made up, so they are never used.
    """
    remote = request.META.get("REMOTE_ADDR")
    proxies = int(getattr(settings, "PORTAL_PROXY_COUNT", 0) or 0)
    if proxies <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < proxies:
        return remote  # not through all of our proxies: the peer is all we know
    try:
        return str(ipaddress.ip_address(forwarded[-proxies]))
    except ValueError:
        return remote
