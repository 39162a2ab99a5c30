"""Forms of four eyes: the approver's decision, and the lead officer's reason to reopen."""

from django import forms

from .services.approval import COMMENTS_REQUIRED

APPROVE = "approve"
RETURN = "return"


class ReviewForm(forms.Form):
    """Approve, or return with comments (comments are required to return)."""

    decision = forms.ChoiceField(
        label="What is your decision?",
        choices=[
            (APPROVE, "Approve it for publication"),
            (RETURN, "Return it to the lead officer with comments"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you approve it or return it"},
    )
    comments = forms.CharField(
        label="Comments",
        help_text="Required if you return it: say what needs to change. "
        "The lead officer sees your comments, and they are kept in the audit trail.",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == RETURN and not (cleaned.get("comments") or "").strip():
            self.add_error("comments", COMMENTS_REQUIRED)
        return cleaned


class ReopenForm(forms.Form):
    """Why the lead officer takes an approved procurement back to a draft."""

    reason = forms.CharField(
        label="Why does it need to change?",
        help_text="For example, the participation deadline is now too close. "
        "It will need approval again.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the procurement needs to change"},
    )
