"""Form pieces every builder section page uses."""

from django import forms


class SectionCompletedField(forms.TypedChoiceField):
    """GOV.UK's "Have you completed this section?" question."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Have you completed this section?")
        kwargs.setdefault(
            "choices",
            [("yes", "Yes, I've completed this section"), ("no", "No, I'll come back to it later")],
        )
        kwargs.setdefault("coerce", lambda value: value == "yes")
        kwargs.setdefault("widget", forms.RadioSelect)
        kwargs.setdefault(
            "error_messages", {"required": "Select whether you have completed this section"}
        )
        super().__init__(**kwargs)
