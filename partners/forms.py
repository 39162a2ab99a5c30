"""Forms of the selection questionnaire pages."""

from django import forms

from procurements.forms_common import SectionCompletedField

from .models import (
    QUESTION_FIELDS,
    QuestionKind,
    QuestionTopic,
    SelectionQuestion,
    selection_questionnaire_problems,
)

WEIGHT_RANGE = "The weight must be a whole number from 0 to 100"


class SelectionQuestionForm(forms.ModelForm):
    kind = forms.ChoiceField(
        label="How is the answer judged?",
        choices=QuestionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the question is pass or fail, or scored"},
    )
    topic = forms.ChoiceField(
        label="What is the question about?",
        help_text="Scored questions judge capability in research and development and in "
        "developing and implementing innovative solutions.",
        choices=QuestionTopic.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the question is about"},
    )
    text = forms.CharField(
        label="Question",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the question"},
    )
    guidance = forms.CharField(
        label="Guidance for suppliers (optional)",
        help_text="What a good answer covers, any word limit, and the evidence to give.",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    weight = forms.IntegerField(
        label="Weight, as a percentage",
        help_text="Scored questions only. The scored questions' weights must add up to 100.",
        min_value=0,
        max_value=100,
        required=False,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "spellcheck": "false", "class": "govuk-input--width-3"}
        ),
        error_messages={
            "invalid": "Enter the weight as a whole number, like 25",
            "min_value": WEIGHT_RANGE,
            "max_value": WEIGHT_RANGE,
        },
    )

    class Meta:
        model = SelectionQuestion
        fields = QUESTION_FIELDS

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == QuestionKind.SCORED:
            if cleaned.get("weight") is None and "weight" not in self.errors:
                self.add_error("weight", "Enter the weight of a scored question, from 0 to 100")
        elif cleaned.get("kind") == QuestionKind.PASS_FAIL:
            cleaned["weight"] = None  # a pass or fail question carries no weight
            self.errors.pop("weight", None)
        return cleaned

    def question_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in QUESTION_FIELDS}


class SelectionQuestionnaireForm(forms.Form):
    """The list page's "Have you completed this section?" question."""

    completed = SectionCompletedField()

    def __init__(self, *args, questions: list[SelectionQuestion], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("completed"):
            for message in selection_questionnaire_problems(self.questions):
                self.add_error("completed", message)
        return cleaned
