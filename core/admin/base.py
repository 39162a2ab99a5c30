"""Admin base classes: one that writes every edit to the audit trail, and read-only pages.

Use ``AuditedModelAdmin`` instead of ``admin.ModelAdmin`` for any model an
administrator may change::

    @admin.register(Borough)
    class BoroughAdmin(AuditedModelAdmin):
        audit_secret_fields = ("identifier",)   # optional: names recorded, values never

Inlines need nothing: their objects are audited by the parent admin's
``save_related``. Events written (actor: ``request.user``; target: the object):

``admin.add``     ``{"values": {field: value}}``
``admin.change``  ``{"fields": [changed field names], "changes": {field: {"old", "new"}}}``;
                  many-to-many fields show ``{"added": [...], "removed": [...]}``.
                  Saving with nothing changed writes nothing.
``admin.delete``  ``{"values": {field: value}}``, recorded before the row goes.
``role.granted`` / ``role.revoked`` for an ``OfficerMembership`` instead of the
                  three above (target: the person; data: membership_id,
                  borough_id, borough, role, user); changing a membership's
                  role or borough writes a revoke and a grant.

A field whose name contains password, secret, token, key, hash, salt or
otp (split on ``_``), or is listed in ``audit_secret_fields``, is named in
``fields`` but its values are never recorded.

Records that change only through services (which check, lock and audit) or never
change at all are shown with ``ReadOnlyModelAdmin`` and ``ReadOnlyInline``:
superusers may read every field, nobody may add, change or delete through the
admin. ``ReadOnlyForSuperusers`` alone gives those permissions to an admin that
chooses its own fields.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models, transaction

from core.audit import audit_record, audit_role_change
from core.models import OfficerMembership

SECRET_NAME_PARTS = frozenset(
    {"password", "secret", "token", "key", "hash", "salt", "otp", "totp", "credential"}
)


def _concrete_fields(model: type[models.Model]) -> list[models.Field]:
    return [
        field
        for field in model._meta.concrete_fields
        if not field.primary_key and not isinstance(field, models.BinaryField)
    ]


def _values(obj: models.Model) -> dict[str, Any]:
    return {field.name: getattr(obj, field.attname) for field in _concrete_fields(type(obj))}


class AuditedModelAdmin(admin.ModelAdmin):
    """A ``ModelAdmin`` whose adds, changes and deletes are audit events (see module doc)."""

    #: Extra field names whose values must never reach the audit trail.
    audit_secret_fields: tuple[str, ...] = ()

    def audit_is_secret(self, name: str) -> bool:
        return name in self.audit_secret_fields or bool(
            SECRET_NAME_PARTS.intersection(name.lower().split("_"))
        )

    def _safe(self, values: dict[str, Any]) -> dict[str, Any]:
        return {name: value for name, value in values.items() if not self.audit_is_secret(name)}

    # -- recording --------------------------------------------------------------------------

    def audit_added(self, request, obj: models.Model) -> None:
        if isinstance(obj, OfficerMembership):
            audit_role_change(actor=request.user, membership=obj, granted=True)
            return
        audit_record(
            actor=request.user,
            action="admin.add",
            target=obj,
            data={"values": self._safe(_values(obj))},
        )

    def audit_changed(self, request, obj: models.Model, before: models.Model) -> None:
        old, new = _values(before), _values(obj)
        fields = sorted(name for name in new if old.get(name) != new[name])
        if not fields:
            return
        if isinstance(obj, OfficerMembership):
            if {"user", "borough", "role"}.intersection(fields):
                audit_role_change(actor=request.user, membership=before, granted=False)
                audit_role_change(actor=request.user, membership=obj, granted=True)
            return
        changes = {
            name: {"old": old[name], "new": new[name]}
            for name in fields
            if not self.audit_is_secret(name)
        }
        audit_record(
            actor=request.user,
            action="admin.change",
            target=obj,
            data={"fields": fields, "changes": changes},
        )

    def audit_deleted(self, request, obj: models.Model) -> None:
        """Record a deletion; call it before the row is deleted (the target needs its pk)."""
        if isinstance(obj, OfficerMembership):
            audit_role_change(actor=request.user, membership=obj, granted=False)
            return
        audit_record(
            actor=request.user,
            action="admin.delete",
            target=obj,
            data={"values": self._safe(_values(obj))},
        )

    # -- ModelAdmin hooks -------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        before = type(obj)._base_manager.filter(pk=obj.pk).first() if change else None
        super().save_model(request, obj, form, change)
        if before is None:
            self.audit_added(request, obj)
        else:
            self.audit_changed(request, obj, before)

    def delete_model(self, request, obj):
        with transaction.atomic():
            self.audit_deleted(request, obj)
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                self.audit_deleted(request, obj)
            super().delete_queryset(request, queryset)

    def save_related(self, request, form, formsets, change):
        obj = form.instance
        m2m_before = self._m2m_snapshot(obj, form) if change else {}
        inline_before = []
        for formset in formsets:
            inline_before.append(self._formset_before_save(request, formset))
        super().save_related(request, form, formsets, change)
        self._audit_m2m(request, obj, m2m_before)
        for formset, before in zip(formsets, inline_before, strict=True):
            for new_obj in getattr(formset, "new_objects", []):
                self.audit_added(request, new_obj)
            for inline_form in formset.initial_forms:
                old = before.get(inline_form.instance.pk)
                if old is not None:
                    self.audit_changed(request, inline_form.instance, old)

    # -- helpers for save_related -----------------------------------------------------------

    @staticmethod
    def _m2m_fields(obj: models.Model, form) -> list[models.Field]:
        changed = set(form.changed_data)
        return [field for field in obj._meta.many_to_many if field.name in changed]

    def _m2m_snapshot(self, obj, form) -> dict[str, set]:
        return {
            field.name: set(getattr(obj, field.name).values_list("pk", flat=True))
            for field in self._m2m_fields(obj, form)
        }

    def _audit_m2m(self, request, obj, before: dict[str, set]) -> None:
        changes = {}
        for name, old in before.items():
            new = set(getattr(obj, name).values_list("pk", flat=True))
            if new == old:
                continue
            related = obj._meta.get_field(name).related_model._base_manager
            changes[name] = {
                "added": [str(item) for item in related.filter(pk__in=new - old)],
                "removed": [str(item) for item in related.filter(pk__in=old - new)],
            }
        if changes:
            audit_record(
                actor=request.user,
                action="admin.change",
                target=obj,
                data={"fields": sorted(changes), "changes": changes},
            )

    def _formset_before_save(self, request, formset) -> dict[Any, models.Model]:
        """Record inline deletions now (rows still exist); return old copies of changed rows."""
        deleted = getattr(formset, "deleted_forms", [])
        for inline_form in deleted:
            if inline_form.instance.pk is not None:
                self.audit_deleted(request, inline_form.instance)
        changed_pks = [
            inline_form.instance.pk
            for inline_form in formset.initial_forms
            if inline_form not in deleted and inline_form.has_changed()
        ]
        if not changed_pks:
            return {}
        return formset.model._base_manager.in_bulk(changed_pks)


# -- read-only pages ------------------------------------------------------------------------


class ReadOnlyForSuperusers:
    """Superusers may read; nobody may add, change or delete (mix in before the admin class)."""

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


def _every_field_but_excluded(model_admin) -> list[str]:
    excluded = set(model_admin.exclude or ())
    return [field.name for field in model_admin.model._meta.fields if field.name not in excluded]


class ReadOnlyModelAdmin(ReadOnlyForSuperusers, admin.ModelAdmin):
    """Every field of the model shown read-only, but those in ``exclude``."""

    def get_readonly_fields(self, request, obj=None):
        return _every_field_but_excluded(self)


class ReadOnlyInline(ReadOnlyForSuperusers, admin.TabularInline):
    """A parent's rows in a table, every field read-only but those in ``exclude``."""

    extra = 0

    def get_readonly_fields(self, request, obj=None):
        return _every_field_but_excluded(self)
