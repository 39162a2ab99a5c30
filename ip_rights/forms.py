"""The IP terms page's form: every answer optional until the section is marked completed."""

from django import forms

from procurements.forms_common import SectionCompletedField

from .models import (
    CONFIDENTIALITY_RULE,
    EDITABLE_FIELDS,
    BenefitShare,
    ForegroundOwner,
    IPTerms,
    ip_terms_missing,
)

_TEXTAREA = {"rows": 4}


class IPTermsForm(forms.ModelForm):
    foreground_owner = forms.ChoiceField(
        label="Who will own the foreground IP?",
        help_text="Foreground IP is what the partnership creates: designs, software, data, "
        "know-how.",
        choices=ForegroundOwner.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    licence_scope = forms.CharField(
        label="What does the borough's licence let it do?",
        help_text="For example: use, copy and adapt the solution for the borough's own "
        "services, free of charge.",
        widget=forms.Textarea(attrs=_TEXTAREA),
        required=False,
    )
    licence_term = forms.CharField(
        label="How long does the licence last?",
        help_text="For example: perpetual, or 10 years from the end of the pilot.",
        max_length=200,
        required=False,
        error_messages={"max_length": "The licence term must be 200 characters or fewer"},
    )
    licence_sublicensable = forms.TypedChoiceField(
        label="May the borough sublicense, for example to other public bodies?",
        choices=[("True", "Yes"), ("False", "No")],
        coerce=lambda value: value == "True",
        empty_value=None,
        widget=forms.RadioSelect,
        required=False,
    )
    benefit_share = forms.ChoiceField(
        label="What share of commercial benefits does the borough get?",
        help_text="If the partner sells the result to others, the borough may share in "
        "the revenue or receive a royalty.",
        choices=BenefitShare.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    benefit_percentage = forms.DecimalField(
        label="The borough's share, as a percentage",
        help_text="Only if the borough gets a revenue share or a royalty. For example, 5 or 2.5.",
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        required=False,
        widget=forms.TextInput(
            attrs={"inputmode": "decimal", "spellcheck": "false", "class": "govuk-input--width-5"}
        ),
        error_messages={
            "invalid": "Enter the borough's share as a number, like 5 or 2.5",
            "min_value": "The borough's share must be between 0%% and 100%%",
            "max_value": "The borough's share must be between 0%% and 100%%",
            "max_digits": "The borough's share must be between 0%% and 100%%",
            "max_decimal_places": "Enter the borough's share with no more than 2 decimal places",
            "max_whole_digits": "The borough's share must be between 0%% and 100%%",
        },
    )
    benefit_trigger = forms.CharField(
        label="When does the borough's share become payable?",
        help_text="Only if the borough gets a revenue share or a royalty. For example: on "
        "sales to other public bodies after the pilot.",
        widget=forms.Textarea(attrs=_TEXTAREA),
        required=False,
    )
    background_ip_rules = forms.CharField(
        label="What are the rules for background IP?",
        help_text="Background IP is what each partner brings. Say that partners keep it, and "
        "what licence the borough gets to the background IP it needs to use the result.",
        widget=forms.Textarea(attrs=_TEXTAREA),
        required=False,
    )
    confidentiality_note = forms.CharField(
        label="Anything to add about confidentiality (optional)",
        help_text=CONFIDENTIALITY_RULE,
        widget=forms.Textarea(attrs=_TEXTAREA),
        required=False,
    )
    completed = SectionCompletedField()

    class Meta:
        model = IPTerms
        fields = EDITABLE_FIELDS

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("completed"):
            for name, message in ip_terms_missing(cleaned).items():
                if name not in self.errors:
                    self.add_error(name, message)
        return cleaned

    def terms_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in EDITABLE_FIELDS}
