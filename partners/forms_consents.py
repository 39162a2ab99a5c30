"""Forms of consent to share a tenderer's information: the lead officer's request and the
tenderer's answer. The services decide the rules and name the fields they refuse."""

from __future__ import annotations

from django import forms

from procurements.forms_common import ServiceErrorMixin

TEXTAREA = forms.Textarea(attrs={"rows": 6})


class ConsentAskForm(ServiceErrorMixin, forms.Form):
    request = forms.TypedChoiceField(
        label="Tenderer",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the tenderer whose consent you ask"},
    )
    item = forms.CharField(
        label="The item, exactly as it would be shared",
        widget=TEXTAREA,
        required=False,
        help_text="Consent covers this text only. The tenderer sees it as you write it here.",
    )
    purpose = forms.CharField(
        label="Why, and with whom, it would be shared",
        widget=TEXTAREA,
        required=False,
        help_text="For example: in a change notice to every tenderer still in the procedure.",
    )

    def __init__(self, *args, tenderers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.tenderers = {r.pk: r for r in tenderers}
        self.fields["request"].choices = [(r.pk, r.organisation.name) for r in tenderers]


class ConsentAnswerForm(ServiceErrorMixin, forms.Form):
    answer = forms.ChoiceField(
        label="Do you consent to this item being shared?",
        choices=[
            ("give", "Yes, I consent to this item being shared, for this purpose"),
            ("refuse", "No, I do not consent"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether you consent to this item being shared"},
    )
    note = forms.CharField(
        label="Note to the borough (optional)",
        widget=TEXTAREA,
        required=False,
    )
