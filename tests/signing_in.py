"""Start a signed-in session without the sign-in pages, the way allauth leaves one.

allauth records each step of a sign-in in the session ("password", then "mfa"
for someone with an authenticator app); the portal refuses an officer's or
administrator's session without the "mfa" step. ``force_sign_in`` writes the
same records, so tests (and browser tests, through ``sign_in_as``) get the
session a real sign-in would give.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
)
from allauth.account.internal.userkit import user_id_to_str
from allauth.mfa.models import Authenticator

SESSION_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"
# By default the sign-in happened an hour ago: pages that ask for the password again
# after allauth's re-authentication window (5 minutes) still ask.
SIGNED_IN_SECONDS_AGO = 3600


def force_sign_in(
    client,
    user,
    *,
    methods: Sequence[str] | None = None,
    seconds_ago: float = SIGNED_IN_SECONDS_AGO,
):
    """Sign ``user`` in to ``client`` (a Django test ``Client``); return the client.

    ``methods`` are the sign-in steps the session records; by default "password",
    and "mfa" too when the user has an authenticator app, as allauth would.
    """
    client.force_login(user, backend=SESSION_BACKEND)
    totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if methods is None:
        methods = ("password", "mfa") if totp is not None else ("password",)
    at = time.time() - seconds_ago
    records = []
    for method in methods:
        record = {"method": method, "at": at}
        if method == "password":
            record["email"] = user.email
        elif method == "mfa" and totp is not None:
            record.update(id=totp.pk, type=totp.type)
        records.append(record)
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = user_id_to_str(user)
    session.save()
    return client
