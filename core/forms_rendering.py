"""GOV.UK Design System markup for every Django form.

`FORM_RENDERER = "core.forms_rendering.GOVUKFormRenderer"` makes `{{ form }}` and
`{{ form.field.as_field_group }}` render each field as a GOV.UK form group: a label
(or a fieldset legend for radios and checkboxes), the help text as a hint, the
error message with its visually hidden "Error:" prefix, and the error classes on
the group and the control. The control keeps what the user typed because it is
still rendered by the field's own widget; only its attributes change.

Non-field errors belong in the error summary (templates/includes/error_summary.html),
which links each field error to `GOVUKBoundField.error_anchor`.
"""

from pathlib import Path

import django.forms
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.forms.widgets import Input
from django.utils.functional import cached_property

# Widget class -> (kind of form group, GOV.UK class on the control, its error modifier).
# Order matters: subclasses come before the classes they extend.
_WIDGET_KINDS: list[tuple[type[forms.Widget], str, str, str]] = [
    (forms.HiddenInput, "hidden", "", ""),
    (forms.MultipleHiddenInput, "hidden", "", ""),
    (forms.CheckboxSelectMultiple, "checkboxes", "govuk-checkboxes__input", ""),
    (forms.RadioSelect, "radios", "govuk-radios__input", ""),
    (forms.CheckboxInput, "checkbox", "govuk-checkboxes__input", ""),
    (forms.PasswordInput, "password", "govuk-input", "govuk-input--error"),
    (forms.FileInput, "file", "govuk-file-upload", "govuk-file-upload--error"),
    (forms.Textarea, "textarea", "govuk-textarea", "govuk-textarea--error"),
    (forms.Select, "select", "govuk-select", "govuk-select--error"),
    (Input, "input", "govuk-input", "govuk-input--error"),
]


def _widget_kind(widget: forms.Widget) -> tuple[str, str, str]:
    if isinstance(widget, forms.MultiWidget):
        return "other", "", ""
    for widget_class, kind, css_class, error_class in _WIDGET_KINDS:
        if isinstance(widget, widget_class):
            return kind, css_class, error_class
    return "other", "", ""


class GOVUKBoundField(forms.BoundField):
    """A bound field that knows which GOV.UK component draws it."""

    @cached_property
    def govuk_kind(self) -> str:
        return _widget_kind(self.field.widget)[0]

    @cached_property
    def govuk_inline(self) -> bool:
        """Two short options (Yes / No) sit side by side, as GOV.UK radios advise."""
        if self.govuk_kind != "radios":
            return False
        labels = [str(label) for _value, label in self.field.choices if _value != ""]
        return len(labels) == 2 and all(len(label) <= 12 for label in labels)

    @property
    def hint_id(self) -> str:
        return f"{self.auto_id}_helptext"

    @property
    def error_id(self) -> str:
        return f"{self.auto_id}_error"

    @property
    def error_anchor(self) -> str:
        """The id the error summary links to: the control, or the first radio or checkbox."""
        widget = self.field.widget
        if isinstance(widget, forms.RadioSelect):
            return widget.id_for_label(self.auto_id, index="0")
        return widget.id_for_label(self.auto_id) or self.auto_id

    def build_widget_attrs(self, attrs, widget=None):
        widget = widget or self.field.widget
        attrs = super().build_widget_attrs(attrs, widget)
        _kind, css_class, error_class = _widget_kind(widget)
        classes = [css_class, widget.attrs.get("class", ""), attrs.get("class", "")]
        if self.errors:
            classes.append(error_class)
        if isinstance(widget, forms.PasswordInput):
            classes.append("govuk-password-input__input govuk-js-password-input-input")
            attrs.setdefault("spellcheck", "false")
            attrs.setdefault("autocapitalize", "none")
        if isinstance(widget, forms.EmailInput):
            attrs.setdefault("spellcheck", "false")
        if widget.attrs.get("autocomplete") == "one-time-code":
            # A six-digit code: a short numeric box (GOV.UK "Ask users for a code").
            classes.append("govuk-input--width-10")
            attrs.setdefault("inputmode", "numeric")
            attrs.setdefault("spellcheck", "false")
        # GOV.UK: no placeholder text; hints say what to enter.
        widget.attrs.pop("placeholder", None)
        attrs.pop("placeholder", None)
        css = " ".join(" ".join(classes).split())
        if css:
            attrs["class"] = css
        return attrs


class GOVUKFormRenderer(DjangoTemplates):
    """Django's template renderer, reading our templates/forms/ before Django's own."""

    form_template_name = "forms/form.html"
    formset_template_name = "forms/formset.html"
    field_template_name = "forms/field.html"
    bound_field_class = GOVUKBoundField

    @cached_property
    def engine(self):
        template_dirs = [Path(d) for engine in settings.TEMPLATES for d in engine.get("DIRS", [])]
        django_forms_templates = Path(django.forms.__file__).parent / "templates"
        return self.backend(
            {
                "APP_DIRS": True,
                "DIRS": [*template_dirs, django_forms_templates],
                "NAME": "govukforms",
                "OPTIONS": {},
            }
        )
