"""The lead officer's reduction of the tenderers between rounds: who continues (the
best-ranked ticked at first), the reasons, and the reasons per tenderer its letter gives.

The form checks the input's shape; ``partners.services_reduction`` decides (and names the
fields it refuses, which ``add_service_error`` puts back on the form).
"""

from __future__ import annotations

from django import forms

from procurements.forms_common import ServiceErrorMixin

from .evaluation_ranking import EvaluationRanking
from .services_common import REASON_MAX_LENGTH


def _reason(label: str, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": f"Write the reasons in {REASON_MAX_LENGTH:,} characters or fewer"
        },
        **kwargs,
    )


def reasons_field(proposal_id: int) -> str:
    return f"reasons_{proposal_id}"


def best_ranked(ranking: EvaluationRanking) -> list[int]:
    """The tenders ticked at first: every ranked tender but those ranked last (at least the
    first)."""
    ranked = ranking.ranked
    if not ranked:
        return []
    last = ranked[-1].rank
    ticked = [row.tender.key for row in ranked if row.rank < last]
    return ticked or [row.tender.key for row in ranked if row.rank == ranked[0].rank]


class ReductionForm(ServiceErrorMixin, forms.Form):
    continuing = forms.TypedMultipleChoiceField(
        label="Tenderers who continue to the next round",
        help_text="The best-ranked compliant tenders continue; none is passed over for a "
        "worse-ranked one, and tenders ranked equal continue together or not at all.",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    reason = _reason(
        "Your reasons for this reduction",
        help_text="For example: the number of tenderers is reduced to the best-ranked, as the "
        "invitation to tender announced. Every tenderer's letter gives them.",
    )

    def __init__(self, *args, ranking: EvaluationRanking, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["continuing"].choices = [
            (row.tender.key, f"{row.tender.name}: ranked {row.rank}, {row.total} out of 100")
            for row in ranking.ranked
        ]
        self.fields["continuing"].initial = best_ranked(ranking)
        self.tenderers = [(row.tender.key, row.tender.name) for row in ranking.ranked] + [
            (proposal.pk, proposal.request.organisation.name) for proposal in ranking.not_compliant
        ]
        for key, name in self.tenderers:
            self.fields[reasons_field(key)] = _reason(
                f"Reasons for {name}",
                help_text="Needed if it does not continue: its letter gives them.",
            )

    def reasons(self) -> dict[int, str]:
        return {key: self.cleaned_data.get(reasons_field(key), "") for key, _ in self.tenderers}
