"""Forms of the award: the lead officer's proposal, the approver's decision and the reasons
for suspending, resuming or reversing during standstill.

They check the input's shape; the services in ``partners.services_award`` decide (and name
the fields they refuse, which ``add_service_error`` puts back on the form).
"""

from __future__ import annotations

from django import forms

from procurements.forms_common import ServiceErrorMixin

from .award_scoring import RankedTender
from .services_common import REASON_MAX_LENGTH


def _reason(label: str, *, required: bool = False, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Give your reasons",
            "max_length": f"Write the reasons in {REASON_MAX_LENGTH:,} characters or fewer",
        },
        **kwargs,
    )


def reasons_field(proposal_id: int) -> str:
    return f"reasons_{proposal_id}"


class AwardProposalForm(ServiceErrorMixin, forms.Form):
    """Which ranked tenderers to award (the best-ranked up to the maximum ticked at first),
    the reasons, and a reason per tenderer for its summary."""

    awarded = forms.TypedMultipleChoiceField(
        label="Tenderers to award a partnership to",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    reason = _reason(
        "Your reasons for this award",
        help_text="For example: the best-ranked compliant tenders up to the maximum number of "
        "partners announced.",
    )

    def __init__(self, *args, ranked: list[RankedTender], not_compliant, max_partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["awarded"].choices = [
            (row.tender.key, f"{row.tender.name}: ranked {row.rank}, {row.total} out of 100")
            for row in ranked
        ]
        limit = max_partners if max_partners is not None else len(ranked)
        self.fields["awarded"].initial = [row.tender.key for row in ranked[:limit]]
        self.tenderers = [(row.tender.key, row.tender.name) for row in ranked] + [
            (proposal.pk, proposal.request.organisation.name) for proposal in not_compliant
        ]
        for key, name in self.tenderers:
            self.fields[reasons_field(key)] = _reason(
                f"Reasons for {name}",
                help_text="Shown in its assessment summary. Optional.",
            )

    def reasons(self) -> dict[int, str]:
        return {key: self.cleaned_data.get(reasons_field(key), "") for key, _ in self.tenderers}


class AwardDecisionForm(ServiceErrorMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[
            ("approve", "Approve the award"),
            ("return", "Return it to the lead officer"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to approve or return the award"},
    )
    reason = _reason(
        "Your reasons",
        help_text="Needed if you return it: say what must change. Optional if you approve.",
    )


class StandstillReasonForm(ServiceErrorMixin, forms.Form):
    """The reasons for suspending, resuming or reversing the award (each form has its own
    prefix on the page)."""

    reason = _reason("Your reasons", required=True)
