"""Forms of the consortium, subcontractor and exclusion declaration pages.

They check the input's shape only; the services in ``partners.services_consortia`` decide
(who the member is, whether the request can still change, what a declaration needs).
"""

from __future__ import annotations

from django import forms

from procurements.forms_common import ServiceErrorMixin

from .forms_requests import YES_NO
from .services_consortia import (
    MEMBER_REQUIRED,
    ROLE_REQUIRED,
    SHARE_RANGE,
    SUBCONTRACTOR_NAME_REQUIRED,
    SUBCONTRACTOR_WORK_REQUIRED,
    DeclarationAnswer,
)


def _role_field() -> forms.CharField:
    return forms.CharField(
        label="Role in the consortium",
        help_text="What the member will do, for example “Clinical trials and evaluation”.",
        max_length=200,
        error_messages={
            "required": ROLE_REQUIRED,
            "max_length": "The role must be 200 characters or fewer",
        },
    )


def _share_field() -> forms.IntegerField:
    return forms.IntegerField(
        label="Share of the work, as a percentage",
        help_text="A whole number from 1 to 99. The lead organisation keeps a share: the "
        "members' shares must add up to less than 100%.",
        min_value=1,
        max_value=99,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "spellcheck": "false", "class": "govuk-input--width-3"}
        ),
        error_messages={
            "required": SHARE_RANGE,
            "invalid": SHARE_RANGE,
            "min_value": SHARE_RANGE,
            "max_value": SHARE_RANGE,
        },
    )


class ConsortiumMemberAddForm(ServiceErrorMixin, forms.Form):
    organisation = forms.CharField(
        label="Companies House number or registered name of the member",
        help_text="The organisation must be registered on the portal. Its Companies House "
        "number finds it best, like 01234567 or SC123456.",
        max_length=200,
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
        error_messages={"required": MEMBER_REQUIRED},
    )
    role = _role_field()
    share_of_work = _share_field()


class ConsortiumMemberChangeForm(ServiceErrorMixin, forms.Form):
    role = _role_field()
    share_of_work = _share_field()


class SubcontractorForm(ServiceErrorMixin, forms.Form):
    name = forms.CharField(
        label="Name of the subcontractor",
        max_length=200,
        error_messages={"required": SUBCONTRACTOR_NAME_REQUIRED},
    )
    companies_house_number = forms.CharField(
        label="Companies House number (optional)",
        help_text="8 characters, like 01234567 or SC123456. Leave blank if it is not "
        "registered at Companies House.",
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"spellcheck": "false", "class": "govuk-input--width-10"}),
    )
    work = forms.CharField(
        label="The work it will do",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": SUBCONTRACTOR_WORK_REQUIRED},
    )


class ConsortiumDeclineForm(forms.Form):
    reason = forms.CharField(
        label="Why are you declining? (optional)",
        help_text="The lead organisation is told that you declined, with this reason.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ExclusionDeclarationsForm(ServiceErrorMixin, forms.Form):
    """For each exclusion ground: does it apply (Yes / No, may wait), its details, and any
    self-cleaning evidence. Fields are named ``<ground>-applies``, ``<ground>-details`` and
    ``<ground>-self_cleaning``."""

    def __init__(self, *args, grounds, declarations, organisation_name: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.grounds = list(grounds)
        for ground in self.grounds:
            declared = declarations.get(ground.key)
            applies = None if declared is None else declared.applies
            self.fields[f"{ground.key}-applies"] = forms.ChoiceField(
                label=f"{ground.label}: does this apply to {organisation_name}?",
                choices=YES_NO,
                required=False,
                widget=forms.RadioSelect,
                initial={True: "yes", False: "no"}.get(applies),
            )
            self.fields[f"{ground.key}-details"] = forms.CharField(
                label="Details (if yes)",
                help_text="What happened, when, and what has changed since.",
                required=False,
                max_length=10000,
                widget=forms.Textarea(attrs={"rows": 4}),
                initial=declared.details if declared is not None else "",
            )
            self.fields[f"{ground.key}-self_cleaning"] = forms.CharField(
                label="Evidence of self-cleaning (optional, if yes)",
                help_text="What you have done so it will not happen again: compensation "
                "paid, cooperation with investigators, changes to staff, systems or "
                "controls.",
                required=False,
                max_length=10000,
                widget=forms.Textarea(attrs={"rows": 4}),
                initial=declared.self_cleaning if declared is not None else "",
            )

    def rows(self) -> list[dict]:
        """Each ground with its three bound fields, for the template."""
        return [
            {
                "ground": ground,
                "applies": self[f"{ground.key}-applies"],
                "details": self[f"{ground.key}-details"],
                "self_cleaning": self[f"{ground.key}-self_cleaning"],
            }
            for ground in self.grounds
        ]

    def answers(self) -> dict[str, DeclarationAnswer]:
        data = self.cleaned_data
        return {
            ground.key: DeclarationAnswer(
                applies={"yes": True, "no": False}.get(data[f"{ground.key}-applies"]),
                details=data[f"{ground.key}-details"],
                self_cleaning=data[f"{ground.key}-self_cleaning"],
            )
            for ground in self.grounds
        }
