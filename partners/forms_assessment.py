"""Forms of selection: an evaluator's conflicts declaration and marks, the lead officer's
consensus, self-cleaning evidence, the proposed shortlist and the approver's decision.

They check the input's shape; the services in ``partners.services_selection`` decide (and
name the fields they refuse, which ``add_service_error`` puts back on the form).
"""

from __future__ import annotations

from django import forms

from procurements.forms_common import ServiceErrorMixin

from .forms_requests import AS_BOOLEAN, YES_NO
from .models import SelectionQuestion
from .scoring import Mark, scale_choices
from .services_common import REASON_MAX_LENGTH
from .services_selection import conflict_field, mark_field, reason_field

PASS_FAIL = [("pass", "Pass"), ("fail", "Fail")]
AS_PASSED = {"pass": True, "fail": False}
FROM_PASSED = {True: "pass", False: "fail"}


def _reason(label: str, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": f"The reason must be {REASON_MAX_LENGTH:,} characters or fewer"
        },
        **kwargs,
    )


class ConflictsDeclarationForm(ServiceErrorMixin, forms.Form):
    """A yes or no (and details if yes) for every request received."""

    def __init__(self, *args, requests, **kwargs):
        super().__init__(*args, **kwargs)
        self.requests = list(requests)
        for row in self.requests:
            name = row.request.organisation.name
            field = conflict_field(row.request.pk)
            self.fields[field] = forms.ChoiceField(
                label=f"Do you have a conflict of interest with {name}"
                + (" or the members of its consortium?" if len(row.organisations) > 1 else "?"),
                choices=YES_NO,
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields[f"{field}_details"] = _reason(
                "If yes, describe it",
                help_text="Who, and what link you have: a family, business or financial "
                "interest, or past or planned work.",
            )

    def rows(self) -> list[dict]:
        return [
            {
                "row": row,
                "choice": self[conflict_field(row.request.pk)],
                "details": self[f"{conflict_field(row.request.pk)}_details"],
            }
            for row in self.requests
        ]

    def declarations(self) -> dict[int, tuple[bool | None, str]]:
        data = self.cleaned_data
        return {
            row.request.pk: (
                AS_BOOLEAN.get(data.get(conflict_field(row.request.pk)) or ""),
                data.get(f"{conflict_field(row.request.pk)}_details") or "",
            )
            for row in self.requests
        }


class MarksForm(ServiceErrorMixin, forms.Form):
    """A mark and a reason for every question: pass or fail, or a score on the scale."""

    def __init__(
        self,
        *args,
        questions: list[SelectionQuestion],
        scale: str,
        marks: dict[int, Mark] | None = None,
        **kwargs,
    ):
        marks = marks or {}
        initial = {}
        for question in questions:
            mark = marks.get(question.pk)
            if mark is not None:
                initial[mark_field(question.pk)] = (
                    str(mark.score) if question.is_scored else FROM_PASSED.get(mark.passed)
                )
                initial[reason_field(question.pk)] = mark.reason
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.questions = questions
        top = scale.split("-")[1]
        for number, question in enumerate(questions, start=1):
            if question.is_scored:
                self.fields[mark_field(question.pk)] = forms.ChoiceField(
                    label=f"Score for question {number}",
                    help_text=f"From 0 to {top}, the scale the invitation to tender published. "
                    f"Weight {question.weight}%.",
                    choices=[("", "Choose a score"), *scale_choices(scale)],
                    required=False,
                    error_messages={"invalid_choice": f"Choose a score from 0 to {top}"},
                )
            else:
                self.fields[mark_field(question.pk)] = forms.ChoiceField(
                    label=f"Does the request pass question {number}?",
                    choices=PASS_FAIL,
                    widget=forms.RadioSelect,
                    required=False,
                    error_messages={"invalid_choice": "Select pass or fail"},
                )
            self.fields[reason_field(question.pk)] = _reason(
                f"Reason for your mark for question {number}",
                help_text="What in the answer and its evidence supports the mark.",
            )

    def rows(self) -> list[dict]:
        return [
            {
                "number": number,
                "question": question,
                "mark": self[mark_field(question.pk)],
                "reason": self[reason_field(question.pk)],
            }
            for number, question in enumerate(self.questions, start=1)
        ]

    def marks(self) -> dict[int, Mark]:
        data = self.cleaned_data
        marks = {}
        for question in self.questions:
            value = data.get(mark_field(question.pk)) or ""
            marks[question.pk] = Mark(
                passed=None if question.is_scored else AS_PASSED.get(value),
                score=int(value) if question.is_scored and value != "" else None,
                reason=data.get(reason_field(question.pk)) or "",
            )
        return marks


class ConflictLaterForm(ServiceErrorMixin, forms.Form):
    details = _reason(
        "Describe the conflict of interest",
        help_text="You will no longer see this request, and the marks you gave it are set "
        "aside. The lead officer is told through the record.",
    )


class SelfCleaningForm(ServiceErrorMixin, forms.Form):
    evidence = _reason(
        "The self-cleaning evidence",
        help_text="What the supplier has shown: compensation paid, facts clarified with the "
        "investigating authorities, and the technical, organisational and personnel measures "
        "taken so that it will not happen again; and the documents that prove it.",
    )


class DiscretionaryExclusionForm(ServiceErrorMixin, forms.Form):
    ground = forms.ChoiceField(
        label="Which discretionary exclusion ground does the exclusion rely on?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the discretionary exclusion ground the exclusion relies on"
        },
    )
    reason = _reason(
        "Your reasons",
        help_text="The facts, the evidence you weighed (the supplier's declaration and any "
        "self-cleaning evidence), and why exclusion is proportionate. The supplier receives "
        "them with its letter.",
    )

    def __init__(self, *args, grounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ground"].choices = [
            (ground.key, f"{ground.label} ({ground.source})") for ground in grounds
        ]


class ShortlistForm(ServiceErrorMixin, forms.Form):
    chosen = forms.TypedMultipleChoiceField(
        label="Suppliers to invite to tender",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    reason = _reason(
        "Your reasons for this shortlist",
        help_text="For example: the best-ranked requests up to the number announced. Say why "
        "if you leave out a request that ranks above one you invite.",
    )

    def __init__(self, *args, ranked, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chosen"].choices = [
            (
                candidate.request_id,
                f"{candidate.name}: ranked {position}, {candidate.total} out of 100",
            )
            for position, candidate in ranked
        ]


class ShortlistDecisionForm(ServiceErrorMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[
            ("confirm", "Confirm the shortlist: invite these suppliers to tender"),
            ("return", "Return it to the lead officer"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to confirm or return the shortlist"},
    )
    reason = _reason(
        "Your reasons",
        help_text="Needed if you return it: say what must change. Optional if you confirm.",
    )
