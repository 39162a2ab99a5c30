"""Forms of the evaluation: the panel, a member's conflicts declaration, the marks of a part
(a score on the published scale for quality, accepted or not for the price schedule) and the
lead officer's consensus. They check the input's shape; ``partners.services_evaluation``
decides, and the fields it refuses come back on the form (``add_service_error``)."""

from __future__ import annotations

from django import forms

from procurements.forms_common import ServiceErrorMixin
from procurements.models import AwardCriterion, CriterionKind

from .forms_requests import AS_BOOLEAN, YES_NO
from .scoring import Mark, scale_choices, scale_maximum
from .services_common import REASON_MAX_LENGTH
from .services_evaluation import conflict_field, mark_field, reason_field

ACCEPTED = [("yes", "Yes, accepted as compliant"), ("no", "No, not compliant")]
FROM_BOOLEAN = {True: "yes", False: "no"}


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


def _people(label: str, help_text: str) -> forms.TypedMultipleChoiceField:
    return forms.TypedMultipleChoiceField(
        label=label,
        help_text=help_text,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class PanelForm(ServiceErrorMixin, forms.Form):
    quality_evaluators = _people(
        "Quality evaluators",
        "They score the answers of every tender on the published scale. They never see prices.",
    )
    price_evaluators = _people(
        "Price evaluators",
        "They check every price schedule (not abnormally low, arithmetic right). They never "
        "see the answers.",
    )

    def __init__(self, *args, quality, price, named, **kwargs):
        kwargs.setdefault("initial", {"quality_evaluators": [p.pk for p in named]})
        super().__init__(*args, **kwargs)
        self.people = {p.pk: p for p in [*quality, *price]}
        self.fields["quality_evaluators"].choices = [(p.pk, _name(p)) for p in quality]
        self.fields["price_evaluators"].choices = [(p.pk, _name(p)) for p in price]

    def chosen(self, name: str) -> list:
        return [self.people[pk] for pk in self.cleaned_data.get(name, [])]


def _name(person) -> str:
    full = person.get_full_name()
    return f"{full} ({person.email})" if full else person.email


class ConflictsForm(ServiceErrorMixin, forms.Form):
    """A yes or no (and details if yes) for every tender, shown by its organisation's name."""

    def __init__(self, *args, tenders, **kwargs):
        super().__init__(*args, **kwargs)
        self.tenders = list(tenders)
        for proposal in self.tenders:
            name = proposal.request.organisation.name
            field = conflict_field(proposal.pk)
            self.fields[field] = forms.ChoiceField(
                label=f"Do you have a conflict of interest with {name}?",
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
                "proposal": proposal,
                "choice": self[conflict_field(proposal.pk)],
                "details": self[f"{conflict_field(proposal.pk)}_details"],
            }
            for proposal in self.tenders
        ]

    def declarations(self) -> dict[int, tuple[bool | None, str]]:
        data = self.cleaned_data
        return {
            proposal.pk: (
                AS_BOOLEAN.get(data.get(conflict_field(proposal.pk)) or ""),
                data.get(f"{conflict_field(proposal.pk)}_details") or "",
            )
            for proposal in self.tenders
        }


class MarksForm(ServiceErrorMixin, forms.Form):
    """A mark and a reason for every criterion given: a score for a quality criterion,
    accepted or not for the price criterion."""

    def __init__(self, *args, criteria: list[AwardCriterion], scale: str, marks=None, **kwargs):
        initial = {}
        for criterion_id, mark in (marks or {}).items():
            initial[mark_field(criterion_id)] = (
                FROM_BOOLEAN.get(mark.price_accepted) if mark.score is None else str(mark.score)
            )
            initial[reason_field(criterion_id)] = mark.reason
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        top = scale_maximum(scale)
        for criterion in criteria:
            if criterion.kind == CriterionKind.PRICE:
                self.fields[mark_field(criterion.pk)] = forms.ChoiceField(
                    label="Is the price schedule accepted as compliant?",
                    help_text="Not abnormally low, every phase within its announced maximum, "
                    "the arithmetic right.",
                    choices=ACCEPTED,
                    widget=forms.RadioSelect,
                    required=False,
                    error_messages={"invalid_choice": "Say whether the price schedule is accepted"},
                )
            else:
                self.fields[mark_field(criterion.pk)] = forms.ChoiceField(
                    label=f"Score for {criterion.name}",
                    help_text=f"From 0 to {top}, the scale the invitation to tender published. "
                    f"Weight {criterion.weight}%.",
                    choices=[("", "Choose a score"), *scale_choices(scale)],
                    required=False,
                    error_messages={"invalid_choice": f"Choose a score from 0 to {top}"},
                )
            self.fields[reason_field(criterion.pk)] = _reason(
                f"Reason for the mark for {criterion.name}",
                help_text="What in the tender supports the mark.",
            )

    def rows(self) -> list[dict]:
        return [
            {
                "criterion": criterion,
                "mark": self[mark_field(criterion.pk)],
                "reason": self[reason_field(criterion.pk)],
            }
            for criterion in self.criteria
        ]

    def marks(self) -> dict[int, Mark]:
        data = self.cleaned_data
        marks = {}
        for criterion in self.criteria:
            value = data.get(mark_field(criterion.pk)) or ""
            is_price = criterion.kind == CriterionKind.PRICE
            marks[criterion.pk] = Mark(
                passed=AS_BOOLEAN.get(value) if is_price else None,
                score=int(value) if not is_price and value != "" else None,
                reason=data.get(reason_field(criterion.pk)) or "",
            )
        return marks
