"""People in the admin.

Superusers manage everything. A borough administrator (staff, not superuser)
sees and manages only the officers of the borough(s) they administer: every
queryset, object permission, inline and choice list is scoped with
``core.permissions.can_manage_person`` / ``borough_list_managed_by``.
"""

from __future__ import annotations

from datetime import timedelta

from allauth.account.models import EmailAddress
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import PermissionDenied
from django.forms.models import BaseInlineFormSet
from django.utils import timezone

from core.admin.base import AuditedModelAdmin
from core.models import (
    Borough,
    OfficerMembership,
    SupplierInvitation,
    SupplierMembership,
    SupplierOrganisation,
    User,
)
from core.permissions import can_manage_person
from core.selectors.accounts import (
    borough_list_managed_by,
    lockout_failures_subquery,
    person_list_for_admin,
)
from core.services.accounts import (
    NOT_BOTH,
    OFFICER_CANNOT_JOIN,
    borough_admin_access_sync,
    person_email_addresses_replace,
)


def _sync_admin_access(formsets) -> None:
    """Keep object permissions and staff status in step with borough administrator roles."""
    users = set()
    for formset in formsets:
        if formset.model is not OfficerMembership:
            continue
        changed = [*formset.new_objects, *(obj for obj, _ in formset.changed_objects)]
        users.update(obj.user_id for obj in [*changed, *formset.deleted_objects])
    for user in User.objects.filter(pk__in=users):
        borough_admin_access_sync(user=user)


# --- officer memberships ---------------------------------------------------------------


class OfficerMembershipFormSet(BaseInlineFormSet):
    """Refuses officer roles for a supplier's account (on the person's or the borough's page)."""

    def clean(self):
        super().clean()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            person = data.get("user") or (
                self.instance if isinstance(self.instance, User) else None
            )
            if (
                person is not None
                and person.pk is not None
                and SupplierMembership.objects.filter(user=person).exists()
            ):
                raise forms.ValidationError(NOT_BOTH)


class OfficerMembershipInline(admin.TabularInline):
    """Roles in boroughs; a borough administrator sees and gives only roles in their boroughs."""

    model = OfficerMembership
    formset = OfficerMembershipFormSet
    fields = ("borough", "role")
    extra = 0
    verbose_name = "role in a borough"
    verbose_name_plural = "roles in boroughs"

    def _managed(self, request):
        return borough_list_managed_by(user=request.user)

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("borough", "user")
        if request.user.is_superuser:
            return queryset
        return queryset.filter(borough__in=self._managed(request))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "borough" and not request.user.is_superuser:
            kwargs["queryset"] = self._managed(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_extra(self, request, obj=None, **kwargs):
        return 1 if obj is None else 0

    def get_min_num(self, request, obj=None, **kwargs):
        # A borough administrator's new officer must get a role in their borough,
        # or the account would be out of their sight at once.
        return 0 if request.user.is_superuser or obj is not None else 1

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("validate_min", True)
        return super().get_formset(request, obj, **kwargs)

    def _may(self, request, obj) -> bool:
        return obj is None or can_manage_person(request.user, obj)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._may(request, obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._may(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may(request, obj)


class BoroughMembershipInline(admin.TabularInline):
    model = OfficerMembership
    formset = OfficerMembershipFormSet
    fields = ("user", "role")
    autocomplete_fields = ("user",)
    extra = 0
    verbose_name = "officer role"
    verbose_name_plural = "officers and their roles"


# --- users -----------------------------------------------------------------------------


class PersonCreationForm(forms.ModelForm):
    """A new account: the person chooses their password with "Forgotten your password?"."""

    class Meta:
        model = User
        fields = ("email", "full_name")

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email=email).exists():
            raise forms.ValidationError("An account with this e-mail address already exists.")
        return email

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_unusable_password()
        if commit:
            user.save()
        return user


EMAIL_IN_USE = "Another account already uses this e-mail address."


class PersonChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        other_accounts = User.objects.exclude(pk=self.instance.pk)
        other_addresses = EmailAddress.objects.exclude(user_id=self.instance.pk)
        if (
            other_accounts.filter(email=email).exists()
            or other_addresses.filter(email__iexact=email).exists()
        ):
            raise forms.ValidationError(EMAIL_IN_USE)
        return email


@admin.register(User)
class PersonAdmin(AuditedModelAdmin, UserAdmin):
    form = PersonChangeForm
    add_form = PersonCreationForm
    inlines = [OfficerMembershipInline]
    list_display = ("email", "full_name", "memberships", "is_active", "locked_out")
    search_fields = ("email", "full_name")
    ordering = ("email",)
    readonly_fields = ("last_login", "date_joined")
    add_fieldsets = ((None, {"fields": ("email", "full_name")}),)
    superuser_fieldsets = (
        (None, {"fields": ("email", "full_name", "password")}),
        (
            "Permissions",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    borough_admin_fieldsets = (
        (None, {"fields": ("email", "full_name", "is_active")}),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        if request.user.is_superuser:
            return self.superuser_fieldsets
        return self.borough_admin_fieldsets

    def get_list_filter(self, request):
        if request.user.is_superuser:
            return ("is_active", "is_staff", "is_superuser", "officer_memberships__borough")
        return ("is_active",)

    def get_queryset(self, request):
        since = timezone.now() - timedelta(hours=settings.AXES_COOLOFF_TIME)
        return (
            person_list_for_admin(user=request.user)
            .annotate(failed_sign_ins=lockout_failures_subquery(since=since))
            .prefetch_related("officer_memberships__borough")
            .select_related("supplier_membership__organisation")
        )

    @admin.display(description="roles and organisation")
    def memberships(self, obj: User) -> str:
        parts = [f"{m.get_role_display()}, {m.borough.name}" for m in obj.officer_memberships.all()]
        supplier = getattr(obj, "supplier_membership", None)
        if supplier is not None:
            parts.append(f"{supplier.get_role_display()}, {supplier.organisation.name}")
        return "; ".join(parts) or "—"

    @admin.display(description="locked out", boolean=True)
    def locked_out(self, obj: User) -> bool:
        return getattr(obj, "failed_sign_ins", 0) >= settings.AXES_FAILURE_LIMIT

    def _may(self, request, obj) -> bool:
        return obj is None or can_manage_person(request.user, obj)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._may(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may(request, obj)

    def user_change_password(self, request, id, form_url=""):
        # Borough administrators never learn or set anyone's password: people reset their own.
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            # The administrator vouches for the address; only that mailbox can set a password.
            EmailAddress.objects.get_or_create(
                user=obj, email=obj.email, defaults={"verified": True, "primary": True}
            )
        elif "email" in form.changed_data:
            # The new address replaces the old one for sign-in and password resets; the
            # admin.change event written above records the old and the new address.
            person_email_addresses_replace(user=obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        _sync_admin_access(formsets)
        if not change:
            messages.info(
                request,
                f"Ask {form.instance.email} to choose a password with “Forgotten your "
                "password?” on the sign-in page. Officers set up an authenticator app at their "
                "first sign-in.",
            )


# --- boroughs (superusers only) ---------------------------------------------------------


class SuperuserOnlyMixin:
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    has_add_permission = has_module_permission

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


@admin.register(Borough)
class BoroughAdmin(SuperuserOnlyMixin, AuditedModelAdmin):
    list_display = ("name", "nation", "authority_type", "identifier")
    list_filter = ("nation", "authority_type")
    search_fields = ("name", "identifier")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [BoroughMembershipInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        _sync_admin_access(formsets)


# --- supplier organisations (superusers only) ------------------------------------------


class SupplierMembershipFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        for form in self.forms:
            user = form.cleaned_data.get("user") if form.cleaned_data else None
            if (
                user
                and not form.cleaned_data.get("DELETE")
                and (user.officer_memberships.exists() or user.is_staff)
            ):
                form.add_error("user", OFFICER_CANNOT_JOIN)


class SupplierMembershipInline(admin.TabularInline):
    model = SupplierMembership
    formset = SupplierMembershipFormSet
    fields = ("user", "role")
    autocomplete_fields = ("user",)
    extra = 0


class SupplierInvitationInline(admin.TabularInline):
    model = SupplierInvitation
    fields = ("email", "role", "invited_by", "sent_at", "expires_at", "accepted_at", "accepted_by")
    readonly_fields = fields
    extra = 0
    can_delete = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SupplierOrganisation)
class SupplierOrganisationAdmin(SuperuserOnlyMixin, AuditedModelAdmin):
    list_display = ("name", "companies_house_number", "is_sme", "is_vcse", "region", "postcode")
    list_filter = ("is_sme", "is_vcse", "region")
    search_fields = ("name", "companies_house_number", "postcode")
    inlines = [SupplierMembershipInline, SupplierInvitationInline]


@admin.register(SupplierInvitation)
class SupplierInvitationAdmin(SuperuserOnlyMixin, AuditedModelAdmin):
    list_display = (
        "email",
        "organisation",
        "role",
        "invited_by",
        "sent_at",
        "expires_at",
        "accepted_at",
    )
    list_filter = ("role",)
    search_fields = ("email", "organisation__name")
    list_select_related = ("organisation", "invited_by")
    readonly_fields = (
        "token",
        "invited_by",
        "sent_at",
        "accepted_at",
        "accepted_by",
        "created_at",
    )
    audit_secret_fields = ("token",)

    def has_add_permission(self, request):
        return False  # organisation admins invite from their members page
