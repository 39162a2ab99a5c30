"""Forms of clarification questions: a supplier's question, and the borough's answer."""

from django import forms

from .forms_common import ServiceErrorMixin
from .services.questions import REASON_REQUIRED

PUBLISH = "publish"
PRIVATE = "private"


class QuestionAskForm(ServiceErrorMixin, forms.Form):
    text = forms.CharField(
        label="Your question",
        help_text="The borough may publish your question and its answer to every supplier, "
        "without saying who asked.",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": "Enter your question",
            "max_length": "Your question must be 5,000 characters or fewer",
        },
    )


class QuestionAnswerForm(ServiceErrorMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Who should see the answer?",
        choices=[
            (PUBLISH, "Publish the answer to everyone"),
            (PRIVATE, "Answer only this supplier"),
        ],
        widget=forms.RadioSelect,
        help_text="Publish it unless it is about this supplier's own circumstances: every "
        "supplier must have the same information.",
        error_messages={"required": "Select who should see the answer"},
    )
    public_text = forms.CharField(
        label="The question as it will be published",
        help_text="Edit it so it does not show who asked: remove the organisation's name and "
        "anything else that identifies them. Used only if you publish the answer.",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    answer = forms.CharField(
        label="Your answer",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Enter the answer"},
    )
    reason = forms.CharField(
        label="Why is the answer only for this supplier?",
        help_text="Required if you answer only this supplier. It is kept in the audit trail.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision == PUBLISH and not (cleaned.get("public_text") or "").strip():
            self.add_error("public_text", "Enter the question as it will be published")
        if decision == PRIVATE and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", REASON_REQUIRED)
        return cleaned
