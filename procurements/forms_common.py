"""Form pieces every builder section page uses."""

from django import forms

from core.exceptions import ApplicationError


class SectionCompletedField(forms.TypedChoiceField):
    """GOV.UK's "Have you completed this section?" question."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Have you completed this section?")
        kwargs.setdefault(
            "choices",
            [("yes", "Yes, I've completed this section"), ("no", "No, I'll come back to it later")],
        )
        kwargs.setdefault("coerce", lambda value: value == "yes")
        kwargs.setdefault("widget", forms.RadioSelect)
        kwargs.setdefault(
            "error_messages", {"required": "Select whether you have completed this section"}
        )
        super().__init__(**kwargs)


def add_service_error(form: forms.Form, error: ApplicationError) -> None:
    """Put a service's refusal on ``form``: on each field it names, else above the form.

    Services name fields in one of two ways: ``extra["errors"]`` (field -> message), or
    ``extra["field"]`` with the ``extra["problems"]`` found there (else the message).
    """
    errors = error.extra.get("errors") or {}
    if errors:
        found = list(errors.items())
    else:
        field = error.extra.get("field")
        found = [(field, problem) for problem in error.extra.get("problems") or [error.message]]
    for name, message in found:
        form.add_error(name if name in form.fields else None, message)


class ServiceErrorMixin:
    """``form.add_service_error(error)``: see ``add_service_error``."""

    def add_service_error(self, error: ApplicationError) -> None:
        add_service_error(self, error)
