"""Forms of the phase plan pages. They validate input only; services do the rest."""

from decimal import Decimal

from django import forms

from procurements.forms_common import SectionCompletedField

from .models import PhaseKind

MONEY_HINT = "In pounds, excluding VAT, for example 75000"


def _money_field(label: str, hint: str = MONEY_HINT, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        help_text=hint,
        required=False,
        min_value=Decimal("0.01"),
        max_digits=14,
        decimal_places=2,
        localize=False,
        widget=forms.TextInput(
            attrs={"inputmode": "decimal", "spellcheck": "false", "class": "govuk-input--width-10"}
        ),
        error_messages={
            "invalid": f"{label} must be an amount of money, like 75000 or 75000.50",
            "min_value": f"{label} must be more than £0",
            "max_digits": f"{label} must be less than £1,000,000,000,000",
            "max_decimal_places": f"{label} can have at most 2 decimal places (pence)",
            "max_whole_digits": f"{label} must be less than £1,000,000,000,000",
        },
        **kwargs,
    )


def _whole_number_field(label: str, hint: str, *, min_value: int = 1) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        help_text=hint,
        required=False,
        min_value=min_value,
        max_value=520,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "spellcheck": "false", "class": "govuk-input--width-4"}
        ),
        error_messages={
            "invalid": f"{label} must be a whole number, like 12",
            "min_value": f"{label} must be %(limit_value)s or more",
            "max_value": f"{label} must be %(limit_value)s or fewer",
        },
    )


def _text(label: str, hint: str = "", *, required: bool = True, long: bool = False, **kw):
    widget = forms.Textarea(attrs={"rows": 4}) if long else forms.TextInput()
    return forms.CharField(
        label=label,
        help_text=hint,
        required=required,
        widget=widget,
        error_messages={"required": f"Enter {label[0].lower()}{label[1:]}"},
        **kw,
    )


class PhasePlanCompletedForm(forms.Form):
    completed = SectionCompletedField()


class PhaseForm(forms.Form):
    kind = forms.ChoiceField(
        label="What kind of phase is it?",
        choices=PhaseKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what kind of phase it is"},
    )
    name = _text(
        "Name of the phase",
        "For example, Feasibility study or Prototype in three homes",
        max_length=200,
    )
    duration_weeks = _whole_number_field(
        "Duration in weeks", "How long the phase lasts for each partner"
    )
    max_remuneration_per_partner = _money_field("Maximum remuneration per partner")
    aims = _text(
        "What the phase aims to achieve",
        "What partners will research, build or test, and what the borough learns from it",
        required=False,
        long=True,
    )


class IntermediateTargetForm(forms.Form):
    metric = _text("What is measured", "For example, falls detected correctly", max_length=200)
    threshold = _text("Target to reach", "For example, 95% of test falls", max_length=200)
    evidence = _text(
        "How the partner shows it has been reached",
        "For example, a test report from a trial in 20 homes",
        required=False,
        long=True,
    )


class InstalmentForm(forms.Form):
    share_percent = forms.DecimalField(
        label="Share of the phase's remuneration",
        help_text="A percentage, for example 40. The shares of a phase add up to 100.",
        min_value=Decimal("0.01"),
        max_value=Decimal("100"),
        max_digits=5,
        decimal_places=2,
        widget=forms.TextInput(
            attrs={"inputmode": "decimal", "spellcheck": "false", "class": "govuk-input--width-4"}
        ),
        error_messages={
            "required": "Enter the share of the phase's remuneration",
            "invalid": "The share must be a percentage, like 40 or 33.33",
            "min_value": "The share must be more than 0%%",
            "max_value": "The share must be 100%% or less",
            "max_decimal_places": "The share can have at most 2 decimal places",
            "max_digits": "The share must be 100%% or less",
            "max_whole_digits": "The share must be 100%% or less",
        },
    )
    milestone = _text(
        "Milestone that triggers it",
        "For example, the prototype passes its safety test. Leave blank if it falls due a "
        "number of weeks after the phase starts.",
        required=False,
        max_length=300,
    )
    weeks_after_start = _whole_number_field(
        "Weeks after the phase starts",
        "Leave blank if a milestone triggers it",
        min_value=0,
    )

    def clean(self):
        data = super().clean()
        milestone, weeks = data.get("milestone"), data.get("weeks_after_start")
        if "milestone" in data and "weeks_after_start" in data:
            if milestone and weeks is not None:
                self.add_error(
                    "milestone",
                    "Give either a milestone or a number of weeks after the phase starts, not both",
                )
            elif not milestone and weeks is None:
                self.add_error(
                    "milestone",
                    "Enter the milestone that triggers the instalment, or the number of weeks "
                    "after the phase starts",
                )
        return data


class GateCriterionForm(forms.Form):
    criterion = _text(
        "Gate criterion",
        "What the stage gate at the end of the phase judges, for example reliability in homes",
        max_length=300,
    )
    threshold = _text(
        "How it is scored, and what passes",
        "For example, scored 0 to 5; a partner needs 3 or more to go on to the next phase",
        long=True,
    )


class TerminationConditionForm(forms.Form):
    condition = _text(
        "Condition on which a partner may be terminated",
        "The borough can end a partner's contract at or during this phase only on the "
        "conditions announced in the documents",
        long=True,
    )


class PurchaseTermsForm(forms.Form):
    max_cost = _money_field("Maximum cost of the final purchase")
    estimated_value = _money_field(
        "Estimated total value of the procurement",
        "Every R&D phase for every partner plus the final purchase, in pounds, excluding VAT. "
        "For example, 1250000",
    )
    scope = _text(
        "What the borough may buy",
        "The volume and scope of the purchase, for example up to 2,000 devices over 4 years. "
        "The borough is not obliged to buy.",
        required=False,
        long=True,
    )


class PerformanceLevelForm(forms.Form):
    metric = _text("What is measured", "For example, battery life", max_length=200)
    level = _text("Level the result must meet", "For example, at least 12 months", max_length=200)
