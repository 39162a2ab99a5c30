"""Forms of the market engagement pages: the engagement notice and its events."""

from django import forms

from .forms import GOVUKDateField
from .forms_common import ServiceErrorMixin


class MarketEngagementForm(ServiceErrorMixin, forms.Form):
    title = forms.CharField(
        label="Title of the market engagement",
        help_text="Suppliers see this first. For example: Detecting falls at home without "
        "a wearable – market engagement.",
        max_length=200,
        error_messages={
            "required": "Enter the title of the market engagement",
            "max_length": "The title must be 200 characters or fewer",
        },
    )
    summary = forms.CharField(
        label="What do you want to learn from the market?",
        help_text="Describe the challenge in outline and what you want suppliers to tell you. "
        "This is published in the UK2 preliminary market engagement notice.",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": "Enter what you want to learn from the market",
            "max_length": "The summary must be 10,000 characters or fewer",
        },
    )
    contact_email = forms.EmailField(
        label="Contact e-mail address (optional)",
        help_text="Where suppliers can write about the engagement, for example a team mailbox.",
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "invalid": "Enter an e-mail address in the correct format, like name@example.org"
        },
    )


class EngagementEventForm(ServiceErrorMixin, forms.Form):
    title = forms.CharField(
        label="Name of the event",
        help_text="For example: Supplier briefing and questions.",
        max_length=200,
        error_messages={
            "required": "Enter the name of the event",
            "max_length": "The name must be 200 characters or fewer",
        },
    )
    starts_at = GOVUKDateField(
        label="When does it start?",
        error_name="The start of the event",
        with_time=True,
        help_text="In UK time. For example, 27 3 2026",
    )
    ends_at = GOVUKDateField(
        label="When does it end? (optional)",
        error_name="The end of the event",
        with_time=True,
        help_text="In UK time. For example, 27 3 2026",
    )
    place = forms.CharField(
        label="Where does it take place?",
        help_text="The address, if people can attend in person. Leave it blank for an event "
        "that is only online.",
        max_length=300,
        required=False,
        error_messages={"max_length": "The place must be 300 characters or fewer"},
    )
    online_url = forms.URLField(
        label="Link to join online",
        help_text="Leave it blank for an event that is only in person.",
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Enter the link in the correct format, like https://…"},
    )
    description = forms.CharField(
        label="Anything else suppliers need to know (optional)",
        help_text="For example, how to book a place.",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean(self):
        cleaned = super().clean()
        if "starts_at" in cleaned and cleaned["starts_at"] is None:
            self.add_error("starts_at", "Enter when the event starts")
        return cleaned
