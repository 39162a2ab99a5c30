"""Forms of a phase's gate: naming its assessors, an assessor's marks (and the lead officer's
consensus marks, in the same shape) and the approver's decision. They check the input's
shape; ``stages.services_gates`` and ``stages.services_gate_decisions`` decide, and the
fields they refuse come back on the form (``add_service_error``)."""

from __future__ import annotations

from django import forms

from partners.services_common import REASON_MAX_LENGTH
from procurements.forms_common import ServiceErrorMixin

from .models import SCORE_MAXIMUM, GateOutcome
from .services_gates import EVIDENCE_MAX_LENGTH, GateMark

YES_NO = [("yes", "Yes"), ("no", "No")]
AS_BOOLEAN = {"yes": True, "no": False}
FROM_BOOLEAN = {True: "yes", False: "no"}


def person_label(person) -> str:
    full = person.get_full_name()
    return f"{full} ({person.email})" if full else person.email


class AssessorsForm(ServiceErrorMixin, forms.Form):
    assessors = forms.TypedMultipleChoiceField(
        label="Assessors to name",
        help_text="The borough's evaluators and procurement officers. Each scores every "
        "partner under review at this gate, without seeing the others' marks.",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {person.pk: person for person in people}
        self.fields["assessors"].choices = [(p.pk, person_label(p)) for p in people]

    def chosen(self) -> list:
        return [self.people[pk] for pk in self.cleaned_data.get("assessors", [])]


def mark_field(criterion_id: int, part: str) -> str:
    return f"criterion_{criterion_id}_{part}"


class GateMarksForm(ServiceErrorMixin, forms.Form):
    """Per criterion: a score from 0 to 10, whether the announced threshold is met, the reason
    and the evidence reference. Empty criteria are left for later; the service says what a
    complete review or a consensus needs."""

    def __init__(self, *args, criteria, marks=None, **kwargs):
        initial = {}
        for criterion_id, mark in (marks or {}).items():
            initial[mark_field(criterion_id, "score")] = mark.score
            initial[mark_field(criterion_id, "meets")] = FROM_BOOLEAN[mark.meets]
            initial[mark_field(criterion_id, "reason")] = mark.reason
            initial[mark_field(criterion_id, "evidence_reference")] = mark.evidence_reference
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            name = criterion.criterion
            self.fields[mark_field(criterion.pk, "score")] = forms.TypedChoiceField(
                label=f"Score for {name}",
                help_text=f"From 0 to {SCORE_MAXIMUM}.",
                choices=[(n, str(n)) for n in range(SCORE_MAXIMUM + 1)],
                coerce=int,
                empty_value=None,
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields[mark_field(criterion.pk, "meets")] = forms.ChoiceField(
                label=f"Does it meet the announced threshold for {name}?",
                help_text=criterion.threshold,
                choices=YES_NO,
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields[mark_field(criterion.pk, "reason")] = forms.CharField(
                label=f"Reason for your mark on {name}",
                max_length=REASON_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 4}),
                required=False,
                error_messages={
                    "max_length": f"Write the reason in {REASON_MAX_LENGTH:,} characters or fewer"
                },
            )
            self.fields[mark_field(criterion.pk, "evidence_reference")] = forms.CharField(
                label=f"Evidence reference for {name}",
                help_text="Which deliverable, file and page the mark relies on.",
                max_length=EVIDENCE_MAX_LENGTH,
                required=False,
                error_messages={
                    "max_length": "Write the evidence reference in "
                    f"{EVIDENCE_MAX_LENGTH} characters or fewer"
                },
            )

    def rows(self) -> list[dict]:
        return [
            {
                "criterion": criterion,
                "fields": [
                    self[mark_field(criterion.pk, part)]
                    for part in ("score", "meets", "reason", "evidence_reference")
                ],
            }
            for criterion in self.criteria
        ]

    def marks(self) -> dict[int, GateMark]:
        data = self.cleaned_data
        return {
            criterion.pk: GateMark(
                score=data.get(mark_field(criterion.pk, "score")),
                meets=AS_BOOLEAN.get(data.get(mark_field(criterion.pk, "meets")) or ""),
                reason=data.get(mark_field(criterion.pk, "reason")) or "",
                evidence_reference=data.get(mark_field(criterion.pk, "evidence_reference")) or "",
            )
            for criterion in self.criteria
        }


class GateDecisionForm(ServiceErrorMixin, forms.Form):
    outcome = forms.ChoiceField(
        label="Your decision",
        choices=GateOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the partner passes or is terminated"},
    )
    condition = forms.TypedChoiceField(
        label="If you terminate: the announced condition the termination relies on",
        help_text="Only the termination conditions announced for this phase in the tender "
        "documents can be cited.",
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
        required=False,
    )
    reason = forms.CharField(
        label="Your reasons",
        help_text="The partner reads them, with the consensus scores and reasons.",
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Give the reasons for your decision",
            "max_length": f"Write the reasons in {REASON_MAX_LENGTH:,} characters or fewer",
        },
    )

    def __init__(self, *args, conditions, **kwargs):
        super().__init__(*args, **kwargs)
        self.conditions = {condition.pk: condition for condition in conditions}
        self.fields["condition"].choices = [
            (condition.pk, condition.condition) for condition in conditions
        ]

    def chosen_condition(self):
        """The condition cited, only when the decision is to terminate."""
        if self.cleaned_data.get("outcome") != GateOutcome.TERMINATE:
            return None
        return self.conditions.get(self.cleaned_data.get("condition"))
