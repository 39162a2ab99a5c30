"""Forms of the supplier's proposal pages.

They check the input's shape only; ``partners.services_tenders`` decides (whether the
proposal can still change, each price against its phase's announced maximum, the lengths).
Field names are those the service names in its errors (``answer_<id>``, ``price_<n>``,
``background_ip``), so a refusal lands on its field and what was typed stays.
"""

from __future__ import annotations

from django import forms

from procurements.forms_common import ServiceErrorMixin
from procurements.models import AwardCriterion

from .forms_evidence import EvidenceUploadForm
from .tender_content import ANSWER_MAX_LENGTH, BACKGROUND_IP_MAX_LENGTH, AnnouncedPhase

SAVE_AND_CONTINUE = "continue"
SAVE_AND_COME_BACK = "later"


class CriterionAnswerForm(ServiceErrorMixin, forms.Form):
    """The answer to one award criterion, in a field named ``answer_<criterion id>``."""

    def __init__(self, *args, criterion: AwardCriterion, text: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.criterion = criterion
        self.field_name = f"answer_{criterion.pk}"
        self.fields[self.field_name] = forms.CharField(
            label="Your answer",
            help_text=f"Up to {ANSWER_MAX_LENGTH:,} characters.",
            required=False,
            initial=text,
            max_length=ANSWER_MAX_LENGTH,
            strip=False,
            widget=forms.Textarea(attrs={"rows": 15}),
            error_messages={
                "max_length": f"The answer must be {ANSWER_MAX_LENGTH:,} characters or fewer"
            },
        )

    @property
    def field(self):
        return self[self.field_name]

    def answers(self) -> dict[str, str]:
        return {str(self.criterion.pk): self.cleaned_data[self.field_name]}


class PricesForm(ServiceErrorMixin, forms.Form):
    """One price per announced phase, in fields named ``price_<phase number>``; text, so
    the service reads "75,000" or "£75,000.00" and a refused price is shown as typed."""

    def __init__(self, *args, phases: list[AnnouncedPhase], prices: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.phases = phases
        for phase in phases:
            maximum = (
                f"The maximum announced for this phase is £{phase.maximum:,.2f} per partner. "
                if phase.maximum is not None
                else ""
            )
            label = f"Phase {phase.number}: {phase.name}" if phase.name else f"Phase {phase.number}"
            self.fields[f"price_{phase.number}"] = forms.CharField(
                label=label,
                help_text=f"{maximum}In pounds, like 75000 or 75,000.00.",
                required=False,
                initial=_price_text(prices.get(str(phase.number), "")),
                max_length=30,
                widget=forms.TextInput(
                    attrs={"class": "govuk-input--width-10", "spellcheck": "false"}
                ),
                error_messages={"max_length": "Enter the price in pounds, like 75,000.00"},
            )

    def prices(self) -> dict[str, str]:
        return {
            str(phase.number): self.cleaned_data[f"price_{phase.number}"] for phase in self.phases
        }


def _price_text(value: str) -> str:
    if not value:
        return ""
    try:
        return f"{float(value):,.2f}"
    except ValueError:
        return str(value)


class BackgroundIPForm(ServiceErrorMixin, forms.Form):
    background_ip = forms.CharField(
        label="Describe the background intellectual property you bring",
        help_text="What you own before this contract and will use in it: software, designs, "
        "data, know-how; who owns each and any licence terms. If you bring none, say so. "
        f"Up to {BACKGROUND_IP_MAX_LENGTH:,} characters.",
        required=False,
        max_length=BACKGROUND_IP_MAX_LENGTH,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={
            "max_length": f"The background IP must be described in "
            f"{BACKGROUND_IP_MAX_LENGTH:,} characters or fewer"
        },
    )


class ProposalFileForm(EvidenceUploadForm):
    """A file of the proposal, checked by the service as evidence is checked."""
