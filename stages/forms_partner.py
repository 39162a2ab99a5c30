"""The partner's confirmation that a phase is ready for its gate (RULES.md point 9)."""

from django import forms


class SubmitForReviewForm(forms.Form):
    confirm = forms.BooleanField(
        label="We have delivered the phase's targets and our final report",
        error_messages={
            "required": (
                "Confirm that you have delivered the phase's targets and your final report"
            )
        },
    )
