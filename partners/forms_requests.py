"""Forms of the pages of a request to participate.

They check the input's shape only; the services in ``partners.services_requests`` decide
(whether the request can still change, what a declaration needs). Unanswered questions may
wait: the submit page lists what is missing.
"""

from __future__ import annotations

from django import forms

from procurements.forms_common import ServiceErrorMixin

from .models import QuestionKind, RequestAnswer, SelectionQuestion
from .services_requests import (
    ANSWER_MAX_LENGTH,
    ANSWER_TOO_LONG,
    APPLYING_AS_REQUIRED,
    CONFLICT_CHOICE_REQUIRED,
    CONFLICT_DETAILS_MAX_LENGTH,
    CONFLICT_DETAILS_REQUIRED,
    CONFLICT_DETAILS_TOO_LONG,
)

YES_NO = [("yes", "Yes"), ("no", "No")]
AS_BOOLEAN = {"yes": True, "no": False}
FROM_BOOLEAN = {True: "yes", False: "no"}

SAVE_AND_CONTINUE = "continue"
SAVE_AND_COME_BACK = "later"


class AnswerForm(ServiceErrorMixin, forms.Form):
    """A yes or no for a pass/fail question (with an optional explanation); the answer's
    text for a scored one."""

    meets = forms.ChoiceField(
        label="Do you meet this requirement?",
        choices=YES_NO,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select yes or no"},
    )
    text = forms.CharField(
        required=False,
        max_length=ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 12}),
        error_messages={"max_length": ANSWER_TOO_LONG},
    )

    def __init__(
        self,
        *args,
        question: SelectionQuestion,
        answer: RequestAnswer | None = None,
        **kwargs,
    ):
        if answer is not None:
            kwargs.setdefault(
                "initial", {"meets": FROM_BOOLEAN.get(answer.meets), "text": answer.text}
            )
        super().__init__(*args, **kwargs)
        self.question = question
        text = self.fields["text"]
        if question.kind == QuestionKind.PASS_FAIL:
            text.label = "Explain your answer (optional)"
            text.widget.attrs["rows"] = 5
        else:
            del self.fields["meets"]
            text.label = "Your answer"
            text.help_text = (
                f"Up to {ANSWER_MAX_LENGTH:,} characters. Give evidence: what you did, for "
                "whom, and what it achieved."
            )

    def answer(self) -> dict:
        """What to save: ``meets`` (None if not answered) and ``text``."""
        return {
            "meets": AS_BOOLEAN.get(self.cleaned_data.get("meets") or ""),
            "text": self.cleaned_data["text"],
        }


class ConflictsForm(ServiceErrorMixin, forms.Form):
    has_conflict = forms.ChoiceField(
        label="Does your organisation, or anyone in it or working for it on this bid, have a "
        "conflict of interest in this procurement?",
        help_text="For example a family or business link with someone at the borough who is "
        "involved in the procurement, or past work for the borough on this need.",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": CONFLICT_CHOICE_REQUIRED},
    )
    details = forms.CharField(
        label="If yes, describe the conflict of interest",
        help_text="Who has it, with whom or in what, and what you have done to manage it.",
        required=False,
        max_length=CONFLICT_DETAILS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"max_length": CONFLICT_DETAILS_TOO_LONG},
    )

    def clean(self):
        data = super().clean()
        if data.get("has_conflict") == "yes" and not (data.get("details") or "").strip():
            self.add_error("details", CONFLICT_DETAILS_REQUIRED)
        return data

    def conflicts(self) -> dict:
        return {
            "has_conflict": AS_BOOLEAN[self.cleaned_data["has_conflict"]],
            "details": self.cleaned_data["details"],
        }


class ApplyingAsForm(ServiceErrorMixin, forms.Form):
    is_consortium = forms.ChoiceField(
        label="How is your organisation applying?",
        choices=[
            ("alone", "Alone, perhaps with subcontractors"),
            ("consortium", "As the lead of a consortium of organisations"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": APPLYING_AS_REQUIRED},
    )

    def choice(self) -> bool:
        return self.cleaned_data["is_consortium"] == "consortium"
