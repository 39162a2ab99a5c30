"""Sign-in events in the audit trail.

Django's and django-axes' signals are the only hook these frameworks offer for
sign-in, sign-in failure, lockout and sign-out, so these receivers exist; each
makes exactly one ``audit_record`` call and nothing else.
"""

from axes.helpers import get_client_ip_address
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from core.audit import audit_record
from core.axes import sign_in_account


def _ip(request) -> str | None:
    # The address axes counts failures against (behind a proxy, not the proxy's own).
    return get_client_ip_address(request) if request is not None else None


@receiver(user_logged_in, dispatch_uid="core.audit.signed_in")
def record_signed_in(sender, request, user, **kwargs):
    audit_record(actor=user, action="auth.signed_in", target=user, data={"ip": _ip(request)})


@receiver(user_login_failed, dispatch_uid="core.audit.sign_in_failed")
def record_sign_in_failed(sender, credentials, request=None, **kwargs):
    # Django has already masked the password; only the address tried is kept.
    tried = sign_in_account(request, credentials) or ""
    audit_record(
        actor=None,
        actor_label=tried,
        action="auth.sign_in_failed",
        data={"email": tried, "ip": _ip(request)},
    )


@receiver(user_locked_out, dispatch_uid="core.audit.locked_out")
def record_locked_out(sender, request, username, ip_address, **kwargs):
    audit_record(
        actor=None,
        actor_label=username or "",
        action="auth.locked_out",
        data={"email": username, "ip": ip_address},
    )


@receiver(user_logged_out, dispatch_uid="core.audit.signed_out")
def record_signed_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(actor=user, action="auth.signed_out", target=user, data={"ip": _ip(request)})
