"""Forms of a phase's deliverables and of the borough's requests for more evidence. They
validate input only; the service checks the state, the targets and every file."""

from __future__ import annotations

from django import forms

from core.exceptions import ApplicationError
from partners.evidence import upload_hint
from partners.services_common import REASON_MAX_LENGTH

from .models import Deliverable, DeliverableKind, EvidenceRequest, IntermediateTarget
from .services_deliverables import MAX_FILES, TITLE_MAX_LENGTH, VALUE_MAX_LENGTH

KIND_HINT = (
    "The final report moves the phase to review at its gate: it gives the value measured for "
    "every intermediate target and at least one evidence file."
)
NO_REQUEST = ""


class ServiceErrors:
    """Show a service's refusal on the form: each field's problem at the field, the rest in
    the error summary."""

    def add_service_error(self, error: ApplicationError) -> None:
        errors = error.extra.get("errors") or {}
        placed = False
        for field, problem in errors.items():
            if field in self.fields:  # type: ignore[attr-defined]
                self.add_error(field, problem)  # type: ignore[attr-defined]
                placed = True
        if not placed:
            self.add_error(None, error.message)  # type: ignore[attr-defined]


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files (none included): a list of uploads."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        one = super().clean
        if isinstance(data, list | tuple):
            return [one(item, initial) for item in data if item]
        return [one(data, initial)] if data else []


def _request_label(request: EvidenceRequest) -> str:
    text = " ".join(request.request.split())
    return text if len(text) <= 120 else f"{text[:119]}…"


class DeliverableForm(ServiceErrors, forms.Form):
    """What the partner submits: its kind, title, summary, a value (and a note) per target,
    the request for more evidence it answers, and its files."""

    kind = forms.ChoiceField(
        label="What are you submitting?",
        widget=forms.RadioSelect,
        help_text=KIND_HINT,
        error_messages={
            "required": "Choose what you are submitting",
            "invalid_choice": "Choose what you are submitting",
        },
    )
    answers = forms.ChoiceField(
        label="Does it answer the borough's request for more evidence?",
        widget=forms.RadioSelect,
        required=False,
    )
    title = forms.CharField(
        label="Title",
        max_length=TITLE_MAX_LENGTH,
        error_messages={
            "required": "Enter a title",
            "max_length": f"Write the title in {TITLE_MAX_LENGTH} characters or fewer",
        },
    )
    summary = forms.CharField(
        label="Summary",
        help_text="What it reports or delivers, and how it shows progress towards the targets.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=REASON_MAX_LENGTH,
        error_messages={
            "required": "Summarise what you are submitting",
            "max_length": f"Write the summary in {REASON_MAX_LENGTH:,} characters or fewer",
        },
    )
    files = MultipleFileField(
        label="Evidence files",
        required=False,
        # An empty file reaches the service, which refuses it as every other refused file.
        allow_empty_file=True,
        error_messages={"invalid": "The selected files could not be uploaded – try again"},
    )

    def __init__(
        self,
        *args,
        kinds: list[DeliverableKind],
        targets: list[IntermediateTarget],
        requests: list[EvidenceRequest],
        answer_required: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.targets = targets
        self.requests = {str(request.pk): request for request in requests}
        self.fields["kind"].choices = [(kind.value, kind.label) for kind in kinds]
        if DeliverableKind.FINAL_REPORT not in kinds:
            self.fields["kind"].help_text = ""
        if requests:
            # Under review a deliverable is only ever an answer to a request.
            choices = [(pk, _request_label(request)) for pk, request in self.requests.items()]
            if not answer_required:
                choices.append((NO_REQUEST, "No, it does not answer a request"))
            self.fields["answers"].choices = choices
            self.fields["answers"].required = answer_required
            self.fields["answers"].error_messages["required"] = (
                "Choose the request for more evidence it answers"
            )
        else:
            del self.fields["answers"]
        self.fields[
            "files"
        ].help_text = f"{upload_hint()} You can select up to {MAX_FILES} files at once."
        for target in targets:
            self.fields[f"value_{target.pk}"] = forms.CharField(
                label="Value measured",
                required=False,
                max_length=VALUE_MAX_LENGTH,
                error_messages={
                    "max_length": f"Write the value measured for {target.metric} in "
                    f"{VALUE_MAX_LENGTH} characters or fewer"
                },
            )
            self.fields[f"note_{target.pk}"] = forms.CharField(
                label="Note (optional)",
                help_text="How it was measured, or why it differs from the threshold.",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    @property
    def target_rows(self) -> list[dict]:
        """Each target with its two fields, for the page."""
        return [
            {"target": t, "value": self[f"value_{t.pk}"], "note": self[f"note_{t.pk}"]}
            for t in self.targets
        ]

    def clean(self):
        data = super().clean()
        for target in self.targets:
            value = (data.get(f"value_{target.pk}") or "").strip()
            if not value and (data.get(f"note_{target.pk}") or "").strip():
                self.add_error(
                    f"value_{target.pk}",
                    f"Give the value measured for {target.metric}, or remove the note",
                )
        return data

    def measurements(self) -> dict[int, tuple[str, str]]:
        """The values given: target id -> (value, note); targets left blank are left out."""
        found = {}
        for target in self.targets:
            value = (self.cleaned_data.get(f"value_{target.pk}") or "").strip()
            if value:
                found[target.pk] = (value, self.cleaned_data.get(f"note_{target.pk}") or "")
        return found

    def answered_request(self) -> EvidenceRequest | None:
        return self.requests.get(self.cleaned_data.get("answers") or NO_REQUEST)


class EvidenceRequestForm(ServiceErrors, forms.Form):
    """What the lead officer asks the partner for, and about which deliverable if one."""

    request = forms.CharField(
        label="What evidence do you need, and why?",
        help_text="The partner's administrators are e-mailed this request and answer it with a "
        "deliverable.",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=REASON_MAX_LENGTH,
        error_messages={
            "required": "Say what evidence you need, and why",
            "max_length": f"Write the request in {REASON_MAX_LENGTH:,} characters or fewer",
        },
    )
    deliverable = forms.ChoiceField(
        label="Is it about one deliverable?", widget=forms.RadioSelect, required=False
    )

    def __init__(self, *args, deliverables: list[Deliverable], **kwargs):
        super().__init__(*args, **kwargs)
        self.deliverables = {str(d.pk): d for d in deliverables}
        if deliverables:
            self.fields["deliverable"].choices = [
                ("", "No, the phase as a whole"),
                *[(pk, d.title) for pk, d in self.deliverables.items()],
            ]
        else:
            del self.fields["deliverable"]

    def chosen_deliverable(self) -> Deliverable | None:
        return self.deliverables.get(self.cleaned_data.get("deliverable") or "")
