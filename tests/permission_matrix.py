"""Who gets what from every URL the portal has.

`url_patterns()` walks the whole URLconf (admin, allauth and every app's urls,
including those added later). Each pattern must be matched by exactly one entry in
`ENTRIES`, which says, for every persona of tests/conftest.py, what a GET returns:

    200, 403, 404, 405  that status code
    LOGIN               a redirect to sign in (allauth's page, or the admin's, which
                        sends people on to allauth's)
    REDIRECT            a redirect anywhere else
    Redirect("/path")   a redirect to a URL starting with /path

An entry names one URL ("core:home"), or a group of URLs with a glob on the pattern's
key ("admin:*_changelist"). Unnamed patterns are keyed by their route. An entry for a
URL with arguments builds them from the personas (`kwargs=` or, for unnamed patterns,
`path=`); both callables receive the personas and the `PatternInfo`.

tests/test_permission_matrix.py requests every pattern as every persona.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

PERSONAS = (
    "officer_a",
    "officer_b",
    "approver_a",
    "evaluator_a",
    "borough_admin_a",
    "supplier_a_admin",
    "supplier_a_member",
    "supplier_b_admin",
    "supplier_b_member",
    "consortium_member",
    "superuser",
    "anonymous",
    "officer_password_only",
)
# An officer (the borough administrator of A) whose session records a password but
# not the authenticator app: signed out and sent to sign in from every page.
PASSWORD_ONLY = "officer_password_only"
# The sign-in steps each persona's session records, where not what allauth would.
SESSION_METHODS: dict[str, tuple[str, ...]] = {PASSWORD_ONLY: ("password",)}
OFFICERS = ("officer_a", "officer_b", "approver_a", "evaluator_a", "borough_admin_a")
SUPPLIERS = (
    "supplier_a_admin",
    "supplier_a_member",
    "supplier_b_admin",
    "supplier_b_member",
    "consortium_member",
)
SIGNED_IN = (*OFFICERS, *SUPPLIERS, "superuser")

LOGIN = "login"
REDIRECT = "redirect"


@dataclass(frozen=True)
class Redirect:
    """A redirect, not to sign in, whose target starts with `to` (a path or a URL name)."""

    to: str

    @property
    def target(self) -> str:
        return self.to if self.to.startswith("/") else reverse(self.to)

    def __str__(self) -> str:
        return f"redirect to {self.to}"


Outcome = int | str | Redirect


def outcomes(default: Outcome | None = None, **by_persona: Outcome) -> dict[str, Outcome]:
    """Expected outcome per persona: `default` for everyone, then the exceptions.

    Groups can be given with `officers=`, `suppliers=`, `signed_in=`; a named persona
    always wins over its group. `officer_password_only` is sent to sign in (LOGIN)
    unless named: the default does not apply to it.
    """
    groups = {
        "officers": OFFICERS,
        "suppliers": SUPPLIERS,
        "signed_in": SIGNED_IN,
    }
    result: dict[str, Outcome] = {}
    if default is not None:
        result = dict.fromkeys(PERSONAS, default)
    for group, members in groups.items():
        if group in by_persona:
            result.update(dict.fromkeys(members, by_persona.pop(group)))
    unknown = set(by_persona) - set(PERSONAS)
    if unknown:
        raise ValueError(f"Unknown personas: {sorted(unknown)}")
    result[PASSWORD_ONLY] = LOGIN
    result.update(by_persona)
    missing = set(PERSONAS) - set(result)
    if missing:
        raise ValueError(f"No outcome for personas: {sorted(missing)}")
    return result


@dataclass(frozen=True)
class PatternInfo:
    key: str  # "namespace:name", or the full route when the pattern has no name
    name: str | None
    route: str
    model: type[models.Model] | None  # the model of an admin ModelAdmin view
    has_arguments: bool


@dataclass
class Entry:
    match: str  # a key, or a glob over keys
    expect: dict[str, Outcome] | Callable[[PatternInfo], dict[str, Outcome]]
    kwargs: Callable[[Any, PatternInfo], dict[str, Any]] | None = None
    path: Callable[[Any, PatternInfo], str] | None = None
    when: Callable[[PatternInfo], bool] | None = None  # narrows a glob
    why: str = ""
    _is_glob: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        self._is_glob = any(char in self.match for char in "*?[")

    def matches(self, info: PatternInfo) -> bool:
        if self._is_glob:
            found = fnmatch.fnmatchcase(info.key, self.match)
        else:
            found = info.key == self.match
        return found and (self.when is None or self.when(info))

    def expected(self, info: PatternInfo) -> dict[str, Outcome]:
        return self.expect(info) if callable(self.expect) else self.expect

    def url(self, personas, info: PatternInfo) -> str:
        if self.path is not None:
            return self.path(personas, info)
        kwargs = self.kwargs(personas, info) if self.kwargs else {}
        if info.name is None:
            raise ValueError(f"{info.key} has no name: give its entry a path=")
        return reverse(info.key, kwargs=kwargs)


# --- walking the URLconf ------------------------------------------------------


def _walk(patterns, prefix: str = "", namespace: str | None = None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern, namespace


def url_patterns() -> list[PatternInfo]:
    found: dict[str, PatternInfo] = {}
    for route, pattern, namespace in _walk(get_resolver().url_patterns):
        name = None
        if pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
        key = name or route
        model_admin = getattr(pattern.callback, "model_admin", None)
        has_arguments = bool(pattern.pattern.regex.groups) or "<" in route or "(?P" in route
        # A name used twice reverses to the last one; the matrix checks that one.
        found[key] = PatternInfo(
            key=key,
            name=name,
            route=route,
            model=model_admin.model if model_admin is not None else None,
            has_arguments=has_arguments,
        )
    return sorted(found.values(), key=lambda info: info.key)


def entries_for(info: PatternInfo) -> list[Entry]:
    return [entry for entry in ENTRIES if entry.matches(info)]


def suggestion(info: PatternInfo) -> str:
    arguments = "  # needs kwargs=... or path=..." if info.has_arguments else ""
    return f'    Entry("{info.key}", outcomes(...)),  # /{info.route}{arguments}'


# --- what came back -------------------------------------------------------------


def _login_paths() -> set[str]:
    return {reverse(settings.LOGIN_URL), reverse("admin:login")}


def observed(response) -> Outcome:
    """Describe a response the way entries do, for comparison and for messages."""
    if response.status_code in (301, 302, 303, 307, 308):
        location = urlsplit(response["Location"]).path
        if location in _login_paths():
            return LOGIN
        return Redirect(response["Location"])
    return response.status_code


def agrees(expected: Outcome, actual: Outcome) -> bool:
    if isinstance(expected, Redirect):
        return isinstance(actual, Redirect) and actual.to.startswith(expected.target)
    if expected == REDIRECT:
        return isinstance(actual, Redirect)
    return expected == actual


# --- objects the pages open ----------------------------------------------------------


def _sample_audit_event(personas):
    from core.audit import audit_record

    return audit_record(
        actor=personas.superuser, action="matrix.sample", target=personas.borough_a, data={}
    )


_AXES_REQUEST = {
    "username": "someone@example.org",
    "ip_address": "203.0.113.9",
    "user_agent": "test",
    "http_accept": "*/*",
    "path_info": "/accounts/login/",
}


def _sample_access_attempt(personas):
    from axes.models import AccessAttempt

    return AccessAttempt.objects.create(
        **_AXES_REQUEST, get_data="", post_data="", failures_since_start=1
    )


def _sample_access_log(personas):
    from axes.models import AccessLog

    return AccessLog.objects.create(**_AXES_REQUEST, attempt_time=timezone.now())


def _sample_access_failure_log(personas):
    from axes.models import AccessFailureLog

    return AccessFailureLog.objects.create(
        **_AXES_REQUEST, attempt_time=timezone.now(), locked_out=False
    )


def sample_document(personas):
    """A ready audit extract of borough A, with its file, so the download can succeed."""
    from django.core.files.base import ContentFile

    from core.models import DocumentStatus, GeneratedDocument

    document = GeneratedDocument(
        kind="audit_extract",
        target=personas.borough_a,
        title="Audit extract",
        status=DocumentStatus.READY,
        requested_by=personas.borough_admin_a,
    )
    document.file.save("matrix-sample.pdf", ContentFile(b"%PDF-1.7\n%%EOF\n"), save=False)
    document.save()
    return document


def sample_invitation(personas):
    from core.models import SupplierInvitation

    return SupplierInvitation.objects.create(
        organisation=personas.org_a,
        email="new-colleague@example.org",
        invited_by=personas.supplier_a_admin,
    )


def _sample_bank_holiday(personas):
    from core.models import BankHoliday

    return BankHoliday.objects.order_by("pk").first() or BankHoliday.objects.create(
        date="2030-12-25", name="Christmas Day"
    )


# Which object an admin change/delete/history page opens, by model label. Models not
# listed open their first row; a model with no row fails the matrix with a message
# asking for a sample here.
ADMIN_SAMPLES: dict[str, Callable[[Any], models.Model]] = {
    "core.user": lambda p: p.officer_a,
    "core.borough": lambda p: p.borough_a,
    "core.supplierorganisation": lambda p: p.org_a,
    "core.supplierinvitation": sample_invitation,
    "core.auditevent": _sample_audit_event,
    "core.generateddocument": sample_document,
    "core.bankholiday": _sample_bank_holiday,
    "auth.group": lambda p: Group.objects.get_or_create(name="Matrix sample")[0],
    "axes.accessattempt": _sample_access_attempt,
    "axes.accesslog": _sample_access_log,
    "axes.accessfailurelog": _sample_access_failure_log,
}


def admin_object(personas, info: PatternInfo) -> models.Model:
    label = info.model._meta.label_lower
    if label in ADMIN_SAMPLES:
        return ADMIN_SAMPLES[label](personas)
    instance = info.model._default_manager.order_by("pk").first()
    if instance is None:
        raise LookupError(
            f"No {label} exists to open {info.key}: add a sample to ADMIN_SAMPLES "
            "in tests/permission_matrix.py"
        )
    return instance


def admin_object_kwargs(personas, info: PatternInfo) -> dict[str, Any]:
    return {"object_id": admin_object(personas, info).pk}


def admin_object_path(personas, info: PatternInfo) -> str:
    """The unnamed `<app>/<model>/<pk>/` pattern, which redirects to the change page."""
    meta = info.model._meta
    return f"/admin/{meta.app_label}/{meta.model_name}/{admin_object(personas, info).pk}/"


def admin_view_on_site_kwargs(personas, info: PatternInfo) -> dict[str, Any]:
    from django.contrib.contenttypes.models import ContentType

    borough = personas.borough_a
    return {
        "content_type_id": ContentType.objects.get_for_model(borough).pk,
        "object_id": borough.pk,
    }


def is_model_admin_view(info: PatternInfo) -> bool:
    return info.model is not None


# --- the admin --------------------------------------------------------------------------

# Everyone who is not staff is sent to the admin's sign-in page.
NOT_STAFF = dict.fromkeys((*OFFICERS, *SUPPLIERS, "anonymous", PASSWORD_ONLY), LOGIN)
ADMIN_PAGES = ("changelist", "add", "change", "history", "delete", "object")

# What the two staff personas get from each model's pages, where it is not
# "superuser 200, borough administrator 403". The borough administrator manages the
# people of their own borough (the sample person is officer_a, of borough A) and
# nothing else; records that must not be edited (audit events, generated documents,
# sign-in attempts) cannot be added, and audit events cannot be deleted.
ADMIN_MODEL_OUTCOMES: dict[str, dict[str, dict[str, Outcome]]] = {
    "core.user": {
        "borough_admin_a": {"changelist": 200, "add": 200, "change": 200, "history": 200},
    },
    "core.auditevent": {"superuser": {"add": 403, "delete": 403}},
    "core.generateddocument": {"superuser": {"add": 403, "delete": 403}},
    "core.supplierinvitation": {"superuser": {"add": 403}},
    "axes.accessattempt": {"superuser": {"add": 403}},
    "axes.accesslog": {"superuser": {"add": 403}},
    "axes.accessfailurelog": {"superuser": {"add": 403}},
}


def admin_model_page(page: str):
    def expect(info: PatternInfo) -> dict[str, Outcome]:
        special = ADMIN_MODEL_OUTCOMES.get(info.model._meta.label_lower, {})
        staff = {
            "superuser": special.get("superuser", {}).get(page, 200),
            "borough_admin_a": special.get("borough_admin_a", {}).get(page, 403),
        }
        if page == "object":
            # The bare object URL redirects to the change page, which then decides.
            staff = dict.fromkeys(staff, REDIRECT)
        return {**NOT_STAFF, **staff}

    return expect


def admin_site_page(borough_admin: Outcome = 200, superuser: Outcome = 200):
    return {**NOT_STAFF, "borough_admin_a": borough_admin, "superuser": superuser}


ADMIN_ENTRIES = [
    Entry("admin:index", admin_site_page()),
    Entry(
        "admin:login",
        outcomes(LOGIN),
        why="The admin's own form would skip the authenticator app: all sign in with allauth.",
    ),
    Entry(
        "admin/login/",
        outcomes(LOGIN),
        path=lambda personas, info: "/admin/login/?next=/admin/",
        why="Placed before the admin's URLs, so the admin's form is never reached.",
    ),
    Entry(
        "admin:logout",
        outcomes(Redirect("admin:index"), borough_admin_a=405, superuser=405),
        why="Signing out is a POST; the admin sends people who are not staff to its index.",
    ),
    Entry("admin:password_change", admin_site_page()),
    Entry("admin:password_change_done", admin_site_page()),
    Entry("admin:jsi18n", admin_site_page()),
    Entry(
        "admin:autocomplete",
        admin_site_page(403, 403),
        why="Without a model and field to complete, the admin refuses.",
    ),
    Entry("admin:view_on_site", admin_site_page(404, 404), kwargs=admin_view_on_site_kwargs),
    Entry(
        "admin:app_list",
        admin_site_page(),
        kwargs=lambda personas, info: {"app_label": "core"},
    ),
    Entry(
        "admin:auth_user_password_change",
        admin_site_page(403),
        kwargs=lambda personas, info: {"id": personas.officer_a.pk},
        why="Borough administrators do not set passwords: people reset their own.",
    ),
    *[
        Entry(f"admin:*_{page}", admin_model_page(page), when=is_model_admin_view, **extra)
        for page, extra in [
            ("changelist", {}),
            ("add", {}),
            ("change", {"kwargs": admin_object_kwargs}),
            ("history", {"kwargs": admin_object_kwargs}),
            ("delete", {"kwargs": admin_object_kwargs}),
        ]
    ],
    Entry(
        "admin/*/<path:object_id>/",
        admin_model_page("object"),
        path=admin_object_path,
        when=is_model_admin_view,
    ),
    Entry(
        "admin/(?P<url>.*)$",
        admin_site_page(404, 404),
        path=lambda personas, info: "/admin/no-such-page/",
    ),
]

# --- allauth ----------------------------------------------------------------------------

# Pages only a signed-in person may open.
SIGNED_IN_ONLY = outcomes(200, anonymous=LOGIN)
# Pages for people not signed in: signed-in people are sent on to their home.
SIGNED_OUT_ONLY = outcomes(Redirect("core:dashboard"), anonymous=200)
# allauth asks a person to confirm who they are before changing their authenticators,
# and our sign-in through the test client is not recent enough for it.
REAUTHENTICATE = outcomes(Redirect("account_reauthenticate"), anonymous=LOGIN)

ALLAUTH_ENTRIES = [
    Entry("account_login", SIGNED_OUT_ONLY),
    Entry("account_signup", SIGNED_OUT_ONLY),
    Entry(
        "account_logout",
        outcomes(200, anonymous=REDIRECT),
        why="GET shows a confirmation page; signing out is a POST.",
    ),
    Entry("account_inactive", outcomes(200)),
    Entry("account_reauthenticate", SIGNED_IN_ONLY),
    Entry("account_email", SIGNED_IN_ONLY),
    Entry("account_email_verification_sent", outcomes(200)),
    Entry("account_change_password", SIGNED_IN_ONLY),
    Entry(
        "account_set_password",
        outcomes(Redirect("account_change_password"), anonymous=LOGIN),
        why="Everyone here has a password already, so allauth offers the change page.",
    ),
    Entry("account_reset_password", outcomes(200)),
    Entry("account_reset_password_done", outcomes(200)),
    Entry("account_reset_password_from_key_done", outcomes(200)),
    Entry(
        "account_reset_password_from_key",
        outcomes(200),
        kwargs=lambda personas, info: {"uidb36": "zz", "key": "no-such-key"},
        why="A bad link shows the page saying the link is not valid.",
    ),
    Entry(
        "account_confirm_email",
        outcomes(200),
        kwargs=lambda personas, info: {"key": "no-such-key"},
        why="A bad link shows the page saying the link has expired or is not valid.",
    ),
    Entry(
        "account_confirm_login_code",
        outcomes(REDIRECT, anonymous=LOGIN),
        why="Sign-in by code is off: there is never a code to confirm.",
    ),
    Entry("mfa_index", SIGNED_IN_ONLY),
    Entry(
        "mfa_authenticate",
        outcomes(Redirect("core:dashboard"), anonymous=LOGIN),
        why="The second sign-in step exists only half-way through signing in.",
    ),
    Entry(
        "mfa_reauthenticate",
        outcomes(200, suppliers=Redirect("account_reauthenticate"), anonymous=LOGIN),
        why="People without an authenticator confirm with their password instead.",
    ),
    Entry("mfa_activate_totp", REAUTHENTICATE),
    Entry(
        "mfa_deactivate_totp",
        outcomes(Redirect("account_reauthenticate"), suppliers=404, anonymous=LOGIN),
        why="Suppliers have no authenticator to remove.",
    ),
    Entry("mfa_generate_recovery_codes", REAUTHENTICATE),
    Entry(
        "mfa_view_recovery_codes",
        outcomes(404, anonymous=LOGIN),
        why="Nobody here has generated recovery codes.",
    ),
    Entry(
        "mfa_download_recovery_codes",
        outcomes(404, anonymous=LOGIN),
        why="Nobody here has generated recovery codes.",
    ),
]

# --- the portal -------------------------------------------------------------------------

SUPPLIER_PAGE = outcomes(200, officers=403, superuser=403, anonymous=LOGIN)
ORGANISATION_ADMIN_PAGE = outcomes(
    403,
    supplier_a_admin=200,
    supplier_b_admin=200,
    consortium_member=200,  # the only member of the consortium's lead organisation, an admin
    anonymous=LOGIN,
)
BOROUGH_ADMIN_OR_SUPERUSER = outcomes(403, borough_admin_a=200, superuser=200, anonymous=LOGIN)

PORTAL_ENTRIES = [
    Entry(
        "health",
        outcomes(200, officer_password_only=200),
        why="Health checks carry no one's page, so no session is checked there.",
    ),
    Entry("core:home", outcomes(200)),
    Entry(
        "core:dashboard",
        outcomes(
            Redirect("core:officer-home"),
            suppliers=Redirect("core:supplier-home"),
            superuser=Redirect("admin:index"),
            anonymous=LOGIN,
        ),
    ),
    Entry("core:officer-home", outcomes(403, officers=200, anonymous=LOGIN)),
    Entry("core:supplier-home", SUPPLIER_PAGE),
    Entry("core:organisation-profile", SUPPLIER_PAGE),
    Entry("core:organisation-members", SUPPLIER_PAGE),
    Entry("core:organisation-edit", ORGANISATION_ADMIN_PAGE),
    Entry("core:organisation-invite", ORGANISATION_ADMIN_PAGE),
    Entry(
        "core:organisation-invitation-send-again",
        outcomes(405, anonymous=LOGIN),
        kwargs=lambda personas, info: {"pk": sample_invitation(personas).pk},
        why="Sending again is a POST; tests/core/test_invitation_sending.py checks who may.",
    ),
    Entry(
        "core:invitation-accept",
        outcomes(200),
        kwargs=lambda personas, info: {"token": sample_invitation(personas).token},
        why="Anyone with the link sees a page: sign up, join, or why they cannot.",
    ),
    Entry(
        "core:document-detail",
        outcomes(404, borough_admin_a=200, superuser=200, anonymous=LOGIN),
        kwargs=lambda personas, info: {"pk": sample_document(personas).pk},
        why="A document nobody may read looks like one that does not exist.",
    ),
    Entry(
        "core:document-download",
        outcomes(404, borough_admin_a=200, superuser=200, anonymous=LOGIN),
        kwargs=lambda personas, info: {"pk": sample_document(personas).pk},
    ),
    Entry(
        "core:document-status",
        outcomes(404, borough_admin_a=200, superuser=200, anonymous=LOGIN),
        kwargs=lambda personas, info: {"pk": sample_document(personas).pk},
    ),
    Entry(
        "core:audit-extract-request",
        BOROUGH_ADMIN_OR_SUPERUSER,
        kwargs=lambda personas, info: {"borough_slug": personas.borough_a.slug},
    ),
]

ENTRIES: list[Entry] = [*ADMIN_ENTRIES, *ALLAUTH_ENTRIES, *PORTAL_ENTRIES]

# --- the phase plan (stages) ------------------------------------------------------------


def sample_phase_plan(personas):
    """A draft of borough A, led by officer A, with one phase holding one row of each kind."""
    from tests.factories import ProcurementFactory, phase_with_a_row_of_each_kind

    procurement = ProcurementFactory(borough=personas.borough_a, lead_officer=personas.officer_a)
    return phase_with_a_row_of_each_kind(procurement)


def _phase_plan_kwargs(extra: str = ""):
    def kwargs(personas, info: PatternInfo) -> dict[str, Any]:
        phase = sample_phase_plan(personas)
        values: dict[str, Any] = {"pk": phase.procurement_id}
        if "phase_pk" in info.route:
            values["phase_pk"] = phase.pk
        if extra == "item":
            values["item"] = "instalments"
        if extra == "item_pk":
            values.update(item="targets", item_pk=phase.targets.get().pk)
        if extra == "level_pk":
            values["level_pk"] = phase.procurement.purchase_terms.performance_levels.get().pk
        return values

    return kwargs


# A section of a borough's draft: its procurement officers change it; its approvers and
# administrators may not; nobody else (nor an evaluator not named on it) may know it exists.
DRAFT_SECTION_PAGE = outcomes(
    404,
    officer_a=200,
    approver_a=403,
    evaluator_a=404,  # not named on it: evaluators are invited per procurement
    borough_admin_a=403,
    anonymous=LOGIN,
)
PHASE_PLAN_POST_ONLY = outcomes(405, anonymous=LOGIN)

ENTRIES += [
    Entry("stages:phase-plan", DRAFT_SECTION_PAGE, kwargs=_phase_plan_kwargs()),
    Entry("stages:phase-add", DRAFT_SECTION_PAGE, kwargs=_phase_plan_kwargs()),
    Entry("stages:phase-detail", DRAFT_SECTION_PAGE, kwargs=_phase_plan_kwargs()),
    Entry("stages:phase-change", DRAFT_SECTION_PAGE, kwargs=_phase_plan_kwargs()),
    Entry("stages:phase-remove", DRAFT_SECTION_PAGE, kwargs=_phase_plan_kwargs()),
    Entry("stages:phase-item-add", DRAFT_SECTION_PAGE, kwargs=_phase_plan_kwargs("item")),
    Entry(
        "stages:phase-item-remove",
        PHASE_PLAN_POST_ONLY,
        kwargs=_phase_plan_kwargs("item_pk"),
        why="Removing is a POST; tests/stages/test_phase_plan_pages.py checks who may.",
    ),
    Entry("stages:purchase-terms", DRAFT_SECTION_PAGE, kwargs=_phase_plan_kwargs()),
    Entry("stages:performance-level-add", DRAFT_SECTION_PAGE, kwargs=_phase_plan_kwargs()),
    Entry(
        "stages:performance-level-remove",
        PHASE_PLAN_POST_ONLY,
        kwargs=_phase_plan_kwargs("level_pk"),
        why="Removing is a POST; tests/stages/test_phase_plan_pages.py checks who may.",
    ),
]
# The phase plan's admin pages are read-only, for superusers.
ADMIN_SAMPLES["stages.phase"] = sample_phase_plan
ADMIN_SAMPLES["stages.purchaseterms"] = lambda p: sample_phase_plan(p).procurement.purchase_terms
for _label in ("stages.phase", "stages.purchaseterms"):
    ADMIN_MODEL_OUTCOMES[_label] = {"superuser": {"add": 403, "delete": 403}}

# --- the procurement builder (procurements) ------------------------------------------------


def sample_builder_procurement(personas):
    """A draft of borough A, led by officer A."""
    from tests.factories import ProcurementFactory

    return ProcurementFactory(
        borough=personas.borough_a, lead_officer=personas.officer_a, title="Falls at home"
    )


def _builder_kwargs(personas, info: PatternInfo) -> dict[str, Any]:
    return {"pk": sample_builder_procurement(personas).pk}


# A borough's procurement: its officers, approvers and administrators, and the evaluators
# named on it, see it; nobody else may know it exists, whatever its state.
BUILDER_VIEW_PAGE = outcomes(
    404,
    officer_a=200,
    approver_a=200,
    evaluator_a=404,  # not named on it: evaluators are invited per procurement
    borough_admin_a=200,
    anonymous=LOGIN,
)

ENTRIES += [
    Entry("procurements:list", outcomes(403, officers=200, anonymous=LOGIN)),
    Entry(
        "procurements:create",
        outcomes(403, officer_a=200, officer_b=200, anonymous=LOGIN),
        why="Only procurement officers create procurements, for their own boroughs.",
    ),
    Entry("procurements:task-list", BUILDER_VIEW_PAGE, kwargs=_builder_kwargs),
    Entry("procurements:check-answers", BUILDER_VIEW_PAGE, kwargs=_builder_kwargs),
    Entry("procurements:challenge", DRAFT_SECTION_PAGE, kwargs=_builder_kwargs),
    Entry("procurements:market-gap", DRAFT_SECTION_PAGE, kwargs=_builder_kwargs),
    Entry("procurements:timetable", DRAFT_SECTION_PAGE, kwargs=_builder_kwargs),
    Entry("procurements:team", DRAFT_SECTION_PAGE, kwargs=_builder_kwargs),
]

# --- minimum requirements and award criteria (procurements) -------------------------------


def sample_lists_procurement(personas):
    """A draft of borough A, led by officer A, with a requirement and a criterion with a sub."""
    from procurements.models import AwardCriterion, AwardSubCriterion, MinimumRequirement
    from tests.factories import ProcurementFactory

    procurement = ProcurementFactory(borough=personas.borough_a, lead_officer=personas.officer_a)
    MinimumRequirement.objects.create(procurement=procurement, text="Works without a smartphone")
    criterion = AwardCriterion.objects.create(
        procurement=procurement, kind="quality", name="Approach to research", weight=70
    )
    AwardSubCriterion.objects.create(criterion=criterion, name="Methodology")
    return procurement


def _lists_kwargs(personas, info: PatternInfo) -> dict[str, Any]:
    procurement = sample_lists_procurement(personas)
    values: dict[str, Any] = {"pk": procurement.pk}
    if "<int:requirement_pk>" in info.route:
        values["requirement_pk"] = procurement.minimum_requirements.get().pk
    if "<int:criterion_pk>" in info.route:
        criterion = procurement.award_criteria.get()
        values["criterion_pk"] = criterion.pk
        if "<int:subcriterion_pk>" in info.route:
            values["subcriterion_pk"] = criterion.sub_criteria.get().pk
    return values


ENTRIES += [
    Entry(f"procurements:{name}", DRAFT_SECTION_PAGE, kwargs=_lists_kwargs)
    for name in (
        "minimum-requirements",
        "minimum-requirement-add",
        "minimum-requirement-change",
        "minimum-requirement-remove",
        "award-criteria",
        "award-criterion-add",
        "award-criterion-change",
        "award-criterion-remove",
        "award-subcriterion-add",
        "award-subcriterion-remove",
    )
]

# --- the IP terms (ip_rights) and the selection questionnaire (partners) -------------------


def sample_selection_question(personas):
    """A scored question of a draft of borough A, led by officer A."""
    from partners.models import SelectionQuestion
    from tests.factories import ProcurementFactory

    procurement = ProcurementFactory(borough=personas.borough_a, lead_officer=personas.officer_a)
    return SelectionQuestion.objects.create(
        procurement=procurement,
        kind="scored",
        topic="rd_capability",
        text="Describe your research and development team",
        weight=100,
    )


def sample_ip_terms(personas):
    """The IP terms of a draft of borough A, led by officer A."""
    from ip_rights.models import IPTerms
    from tests.factories import ProcurementFactory

    procurement = ProcurementFactory(borough=personas.borough_a, lead_officer=personas.officer_a)
    return IPTerms.objects.create(procurement=procurement, foreground_owner="partner")


def _selection_kwargs(personas, info: PatternInfo) -> dict[str, Any]:
    question = sample_selection_question(personas)
    values: dict[str, Any] = {"pk": question.procurement_id}
    if "<int:question_pk>" in info.route:
        values["question_pk"] = question.pk
    return values


ENTRIES += [
    Entry(
        "ip_rights:ip-terms",
        DRAFT_SECTION_PAGE,
        kwargs=lambda personas, info: {"pk": sample_ip_terms(personas).procurement_id},
    ),
    *[
        Entry(f"partners:{name}", DRAFT_SECTION_PAGE, kwargs=_selection_kwargs)
        for name in (
            "selection-questionnaire",
            "selection-question-add",
            "selection-question-change",
            "selection-question-remove",
        )
    ],
]
# Their admin pages are read-only, for superusers.
ADMIN_SAMPLES["ip_rights.ipterms"] = sample_ip_terms
ADMIN_SAMPLES["partners.selectionquestion"] = sample_selection_question
for _label in ("ip_rights.ipterms", "partners.selectionquestion"):
    ADMIN_MODEL_OUTCOMES[_label] = {"superuser": {"add": 403, "delete": 403}}

# --- four eyes: submit, review, publish, reopen (procurements) ------------------------------


def sample_procurement_in(status: str):
    """A procurement of borough A in ``status``, led by officer A, to be approved by approver A."""

    def kwargs(personas, info: PatternInfo) -> dict[str, Any]:
        from tests.factories import ProcurementFactory

        procurement = ProcurementFactory(
            borough=personas.borough_a,
            lead_officer=personas.officer_a,
            approver=personas.approver_a,
            status=status,
        )
        return {"pk": procurement.pk}

    return kwargs


ENTRIES += [
    Entry(
        "procurements:awaiting-approval",
        outcomes(403, approver_a=200, anonymous=LOGIN),
        why="Only approvers have procurements to approve.",
    ),
    Entry(
        "procurements:submit",
        outcomes(405, anonymous=LOGIN),
        kwargs=sample_procurement_in("draft"),
        why="Submitting is a POST; tests/procurements/test_approval.py checks who may.",
    ),
    Entry(
        "procurements:publish",
        outcomes(405, anonymous=LOGIN),
        kwargs=sample_procurement_in("approved"),
        why="Publishing is a POST; tests/procurements/test_approval.py checks who may.",
    ),
    Entry(
        "procurements:review",
        outcomes(
            404,
            approver_a=200,
            officer_a=403,
            evaluator_a=404,  # not named on it: evaluators are invited per procurement
            borough_admin_a=403,
            anonymous=LOGIN,
        ),
        kwargs=sample_procurement_in("awaiting_approval"),
        why="Only an approver of the borough who did not write it; the lead officer may not.",
    ),
    Entry(
        "procurements:reopen",
        outcomes(
            404,
            officer_a=200,
            approver_a=403,
            evaluator_a=404,  # not named on it: evaluators are invited per procurement
            borough_admin_a=403,
            anonymous=LOGIN,
        ),
        kwargs=sample_procurement_in("approved"),
        why="Only the lead officer of an approved procurement takes it back to a draft.",
    ),
]
# Procurements' admin pages are read-only, for superusers.
ADMIN_SAMPLES["procurements.procurement"] = sample_builder_procurement
ADMIN_MODEL_OUTCOMES["procurements.procurement"] = {"superuser": {"add": 403, "delete": 403}}

# --- publication and the public side: entries kept in their own modules --------------------
# Each module imports what it needs from this one (defined above) and exposes ENTRIES,
# and may add to ADMIN_SAMPLES / ADMIN_MODEL_OUTCOMES.
import importlib  # noqa: E402

for _module in (
    "tests.matrix.publication",
    "tests.matrix.public",
    "tests.matrix.questions_engagement",
    "tests.matrix.amendments",
    "tests.matrix.requests",
    "tests.matrix.consortia",
    "tests.matrix.evidence",
    "tests.matrix.selection",
    "tests.matrix.assessment",
    "tests.matrix.tenders_officer",
    "tests.matrix.tenders_supplier",
    "tests.matrix.negotiation",
    "tests.matrix.evaluation",
    "tests.matrix.reduction",
    "tests.matrix.award",
    "tests.matrix.partnerships",
    "tests.matrix.stages_progress",
    "tests.matrix.stages_partner",
    "tests.matrix.stages_deliverables",
    "tests.matrix.stages_gates",
    "tests.matrix.stages_instalments",
    "tests.matrix.stages_reports",
    "tests.matrix.stages_purchase",
    "tests.matrix.consents",
):
    ENTRIES += importlib.import_module(_module).ENTRIES
