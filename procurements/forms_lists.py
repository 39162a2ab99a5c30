"""Forms of the minimum requirements and award criteria sections."""

from django import forms

from .forms_common import SectionCompletedField, ServiceErrorMixin
from .models import CriterionKind, PriceFormula, ScoringScale


class MinimumRequirementForm(ServiceErrorMixin, forms.Form):
    text = forms.CharField(
        label="Minimum requirement",
        help_text=(
            "One requirement every tender must meet, precise enough for a supplier to decide "
            "whether to take part. For example: the solution must keep residents' data in the UK."
        ),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Enter the minimum requirement",
            "max_length": "The minimum requirement must be 2,000 characters or fewer",
        },
    )


class RequirementsCompletedForm(ServiceErrorMixin, forms.Form):
    completed = SectionCompletedField()


class AwardSettingsForm(ServiceErrorMixin, forms.Form):
    scoring_scale = forms.ChoiceField(
        label="Which scale will evaluators use to score quality and social value answers?",
        choices=ScoringScale.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the scoring scale"},
    )
    price_formula = forms.ChoiceField(
        label="How will price be scored?",
        help_text="The lowest price is the lowest of the tenders that are evaluated.",
        choices=PriceFormula.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how price will be scored"},
    )
    # RULES.md point 7; PCR 2015 reg. 31(3)-(4): only if the documents said so.
    reduce_between_rounds = forms.TypedChoiceField(
        label=(
            "May the number of tenderers be reduced between rounds of negotiation by applying "
            "the award criteria?"
        ),
        help_text=(
            "Only if you say yes here can you continue a later round with fewer tenderers. "
            "The answer is published in the invitation to tender and cannot change after "
            "publication."
        ),
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select yes if the number of tenderers may be reduced between rounds"
        },
    )
    completed = SectionCompletedField()


class AwardCriterionForm(ServiceErrorMixin, forms.Form):
    kind = forms.ChoiceField(
        label="What does this criterion assess?",
        choices=CriterionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the criterion assesses quality, price "
                        "or social value"},
    )  # fmt: skip
    name = forms.CharField(
        label="Name of the criterion",
        max_length=200,
        error_messages={
            "required": "Enter the name of the criterion",
            "max_length": "The name must be 200 characters or fewer",
        },
    )
    description = forms.CharField(
        label="Description (optional)",
        help_text="What evaluators look for, as published in the invitation to tender.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    weight = forms.IntegerField(
        label="Weight, in per cent",
        help_text="A whole number from 0 to 100. The weights of all criteria must add up to 100.",
        min_value=0,
        max_value=100,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "class": "govuk-input--width-3", "spellcheck": "false"}
        ),
        error_messages={
            "required": "Enter the weight, from 0 to 100",
            "invalid": "The weight must be a whole number, like 30",
            "min_value": "The weight must be 0 or more",
            "max_value": "The weight must be 100 or less",
        },
    )


class AwardSubCriterionForm(ServiceErrorMixin, forms.Form):
    name = forms.CharField(
        label="Name of the sub-criterion",
        max_length=200,
        error_messages={
            "required": "Enter the name of the sub-criterion",
            "max_length": "The name must be 200 characters or fewer",
        },
    )
    description = forms.CharField(
        label="Description (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
