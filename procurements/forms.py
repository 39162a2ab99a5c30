"""Forms of the procurement builder: creating a procurement and this app's own sections.

Forms check the shape of what was typed (real dates, whole numbers, CPV codes).
What a section needs before it may be marked completed, and who may be on the
team, are decided by the services (procurements/services/builder.py), so the
same rules hold whatever calls them.

Dates use the GOV.UK date input (day, month, year). Deadlines add a time, read
as UK time (Europe/London) and stored timezone-aware; a deadline typed without
a time is at 12 noon, never at midnight, whose day people misread.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.models import Borough, OfficerRole, User

from .forms_common import SectionCompletedField
from .models import Procurement, Regime, Sector, cpv_code_validator
from .rules import PCR2015_RULES
from .sections import UK_TIME, uk_date_text
from .selectors import borough_people

DEFAULT_DEADLINE_TIME = time(12, 0)
DATE_FIELD_TEMPLATE = "procurements/forms/date_field.html"


# --- GOV.UK date and date-and-time inputs ------------------------------------------------


class GOVUKDateWidget(forms.MultiWidget):
    """GOV.UK date input: day, month and year boxes (and a time box with ``with_time``)."""

    template_name = "procurements/widgets/date_input.html"

    def __init__(self, *, with_time: bool = False, attrs=None):
        self.with_time = with_time
        parts = {
            name: forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"})
            for name in ("day", "month", "year")
        }
        if with_time:
            parts["time"] = forms.TextInput(attrs={"spellcheck": "false"})
        super().__init__(parts, attrs)

    def decompress(self, value):
        if isinstance(value, datetime):
            local = timezone.localtime(value, UK_TIME)
            return [local.day, local.month, local.year, local.strftime("%H:%M")]
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None] * len(self.widgets)

    def id_for_label(self, id_):
        return f"{id_}_0" if id_ else ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        invalid = context["widget"]["attrs"].get("aria-invalid") == "true"
        labels = ("Day", "Month", "Year", "Time")
        widths = ("2", "2", "4", "5")
        for index, subwidget in enumerate(context["widget"]["subwidgets"]):
            classes = ["govuk-input", f"govuk-input--width-{widths[index]}"]
            if index < 3:
                classes.append("govuk-date-input__input")
            if invalid:
                classes.append("govuk-input--error")
            subwidget["attrs"]["class"] = " ".join(classes)
            subwidget["label"] = labels[index]
            if index == 3:
                subwidget["attrs"]["aria-describedby"] = f"{subwidget['attrs']['id']}_hint"
        context["widget"]["with_time"] = self.with_time
        return context


class GOVUKDateField(forms.MultiValueField):
    """A date typed as day, month and year; blank is allowed (the services decide)."""

    def __init__(self, *, label: str, error_name: str, with_time: bool = False, **kwargs):
        self.error_name = error_name
        self.with_time = with_time
        parts = [forms.CharField(required=False, strip=True) for _ in range(4 if with_time else 3)]
        kwargs.setdefault("widget", GOVUKDateWidget(with_time=with_time))
        super().__init__(parts, label=label, required=False, require_all_fields=False, **kwargs)
        self.template_name = DATE_FIELD_TEMPLATE

    def compress(self, data_list):
        values = list(data_list) + [""] * (4 - len(data_list))
        day, month, year, typed_time = (str(value or "").strip() for value in values)
        if not (day or month or year or typed_time):
            return None
        missing = [
            name
            for name, value in zip(("day", "month", "year"), (day, month, year), strict=True)
            if not value
        ]
        if missing:
            raise ValidationError(f"{self.error_name} must include a {' and a '.join(missing)}")
        if not (day.isdigit() and month.isdigit() and re.fullmatch(r"\d{4}", year)):
            raise ValidationError(f"{self.error_name} must be a real date, like 27 3 2026")
        try:
            typed_date = date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(
                f"{self.error_name} must be a real date, like 27 3 2026"
            ) from None
        if not self.with_time:
            return typed_date
        clock = parse_time(typed_time) if typed_time else DEFAULT_DEADLINE_TIME
        if clock is None:
            raise ValidationError(
                f"Enter the time of {self.error_name.lower()} like 14:30 or 2:30pm"
            )
        return datetime.combine(typed_date, clock, tzinfo=UK_TIME)


_TIME_24 = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?$")
_TIME_12 = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)$")


def parse_time(text: str) -> time | None:
    """A time of day as people type it: 14:30, 9.15, 2pm, 2:30pm, midday, noon, midnight."""
    text = text.strip().lower()
    if text in {"midday", "noon", "12 noon", "12noon", "12 midday"}:
        return time(12, 0)
    if text in {"midnight", "12 midnight"}:
        return time(0, 0)
    if match := _TIME_12.match(text):
        hour, minute = int(match[1]), int(match[2] or 0)
        if not 1 <= hour <= 12 or minute > 59:
            return None
        hour = hour % 12 + (12 if match[3].startswith("p") else 0)
        return time(hour, minute)
    if match := _TIME_24.match(text):
        hour, minute = int(match[1]), int(match[2] or 0)
        if match[2] is None and hour > 12:
            # "14" alone is too easily a typing slip: ask for 14:00.
            return None
        if hour > 23 or minute > 59:
            return None
        return time(hour, minute)
    return None


def _text(label: str, help_text: str = "", rows: int = 5) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _whole_number(label: str, name: str, *, most: int, help_text: str = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        required=False,
        min_value=1,
        max_value=most,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "spellcheck": "false", "class": "govuk-input--width-3"}
        ),
        error_messages={
            "invalid": f"{name} must be a whole number, like 3",
            "min_value": f"{name} must be 1 or more",
            "max_value": f"{name} must be {most} or fewer",
        },
    )


# --- creating a procurement ---------------------------------------------------------------


class ProcurementCreateForm(forms.Form):
    title = forms.CharField(
        label="Title of the procurement",
        max_length=200,
        help_text="Say what the challenge is about, for example "
        "“Helping older residents live independently at home”.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={
            "required": "Enter a title for the procurement",
            "max_length": "The title must be 200 characters or fewer",
        },
    )
    borough = forms.ModelChoiceField(
        label="Which borough runs this procurement?",
        queryset=Borough.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Select the borough that runs this procurement",
            "invalid_choice": "Select one of your boroughs",
        },
    )

    def __init__(self, *args, boroughs, **kwargs):
        super().__init__(*args, **kwargs)
        boroughs = list(boroughs)
        if len(boroughs) > 1:
            self.fields["borough"].queryset = Borough.objects.filter(
                pk__in=[b.pk for b in boroughs]
            )
        else:
            # The only borough is implied.
            del self.fields["borough"]
            self.implied_borough = boroughs[0] if boroughs else None

    def chosen_borough(self) -> Borough:
        return self.cleaned_data.get("borough") or self.implied_borough


# --- this app's builder sections ---------------------------------------------------------


class SectionForm(forms.Form):
    """A section page's form: its fields, then "Have you completed this section?"."""

    completed = SectionCompletedField()

    def __init__(self, *args, procurement: Procurement, **kwargs):
        self.procurement = procurement
        kwargs.setdefault("initial", self.initial_from(procurement))
        super().__init__(*args, **kwargs)
        # Place the completed question last whatever the subclass declares.
        self.order_fields([name for name in self.fields if name != "completed"] + ["completed"])

    def initial_from(self, procurement: Procurement) -> dict:
        initial = {name: getattr(procurement, name, None) for name in self.base_fields}
        initial.pop("completed", None)
        return initial

    def values(self) -> dict:
        """What the service saves: every field but the completed question."""
        return {name: value for name, value in self.cleaned_data.items() if name != "completed"}


class CpvCodesField(forms.CharField):
    """CPV codes typed in one box, separated by commas or spaces; cleaned to a list."""

    def to_python(self, value):
        text = super().to_python(value)
        codes: list[str] = []
        for code in re.split(r"[\s,;]+", text or ""):
            if code and code not in codes:
                codes.append(code)
        return codes

    def validate(self, value):
        for code in value:
            try:
                cpv_code_validator(code)
            except ValidationError:
                raise ValidationError(
                    f"“{code[:20]}” is not a CPV code: enter 8 digits, optionally followed by a "
                    "dash and a check digit, like 73000000-2"
                ) from None

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(value)
        return value


class ChallengeForm(SectionForm):
    problem = _text(
        "What is the problem?",
        "Describe the need as the people who have it see it. Do not describe a product.",
    )
    outcomes = _text(
        "What outcomes do you want?",
        "The results a solution must achieve, not how it should achieve them.",
    )
    outcome_measures = _text("How will you measure the outcomes?")
    users_affected = _text(
        "Who is affected?", "Residents, staff or others who will use or feel the solution.", rows=3
    )
    sector = forms.ChoiceField(
        label="Sector",
        choices=Sector.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select a sector from the list"},
    )
    cpv_codes = CpvCodesField(
        label="CPV codes",
        required=False,
        help_text="Common Procurement Vocabulary codes, separated by commas or spaces, "
        "for example 73000000-2, 72000000-5",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class MarketGapForm(SectionForm):
    market_gap = _text(
        "Why does no product or service on the market meet the need?",
        "An innovation partnership may only be used when the need cannot be met by solutions "
        "already available on the market.",
        rows=8,
    )
    market_engagement_evidence = _text(
        "What market engagement have you done?",
        "Events, conversations with suppliers and research, with dates, and what they showed.",
        rows=8,
    )


class TimetableForm(SectionForm):
    regime = forms.ChoiceField(
        label="Which law does this procurement follow?",
        choices=Regime.choices,
        widget=forms.RadioSelect,
        help_text="Choose the Public Contracts Regulations 2015 only for a procedure begun "
        f"before {uk_date_text(PCR2015_RULES.began_before)}.",
        error_messages={"required": "Select the law this procurement follows"},
    )
    procedure_began_on = GOVUKDateField(
        label="When did the procedure begin?",
        error_name="The date the procedure began",
        help_text="Needed for the Public Contracts Regulations 2015: the day the contract notice "
        "was sent for publication. Leave it blank for a procedure under the Procurement Act "
        "2023 that begins when its tender notice is published. For example, 3 2 2025",
    )
    notice_date = GOVUKDateField(
        label="When will the tender notice be published?",
        error_name="The notice date",
        help_text="For example, 27 3 2026",
    )
    question_deadline = GOVUKDateField(
        label="Deadline for clarification questions",
        error_name="The question deadline",
        with_time=True,
        help_text="In UK time. For example, 27 3 2026",
    )
    participation_deadline = GOVUKDateField(
        label="Deadline for requests to participate",
        error_name="The participation deadline",
        with_time=True,
        help_text="In UK time. For example, 27 4 2026",
    )
    indicative_tender_date = GOVUKDateField(
        label="Indicative date of the invitation to tender",
        error_name="The indicative tender date",
        help_text="For example, 1 6 2026",
    )
    indicative_start_date = GOVUKDateField(
        label="Indicative start of the partnership",
        error_name="The indicative start of the partnership",
        help_text="The day the first phase is expected to begin. Each phase's dates follow from "
        "it and the phases' durations. For example, 1 2 2027",
    )
    max_partners = _whole_number(
        "Maximum number of partners to appoint", "The maximum number of partners", most=20
    )
    number_to_invite = _whole_number(
        "Number of suppliers to invite to tender",
        "The number of suppliers to invite",
        most=50,
        help_text="The rules for publication ask for at least 3 where more may qualify.",
    )

    def clean(self):
        cleaned = super().clean()
        question, participation = (
            cleaned.get("question_deadline"),
            cleaned.get("participation_deadline"),
        )
        if question and participation and question >= participation:
            self.add_error(
                "question_deadline",
                "The question deadline must be before the participation deadline",
            )
        return cleaned


class PersonLabelMixin:
    """A person is shown by name and e-mail address (the address alone if no name)."""

    def label_from_instance(self, obj: User) -> str:
        return f"{obj.get_full_name()} ({obj.email})" if obj.full_name else obj.email


class PersonChoiceField(PersonLabelMixin, forms.ModelChoiceField):
    pass


class PeopleChoiceField(PersonLabelMixin, forms.ModelMultipleChoiceField):
    pass


class TeamForm(SectionForm):
    lead_officer = PersonChoiceField(
        label="Lead officer",
        queryset=User.objects.none(),
        empty_label="Select the lead officer",
        help_text="A procurement officer of the borough. They submit the procurement for approval.",
        error_messages={
            "required": "Select the lead officer",
            "invalid_choice": "Select a procurement officer of the borough",
        },
    )
    approver = PersonChoiceField(
        label="Approver",
        queryset=User.objects.none(),
        required=False,
        empty_label="Not chosen yet",
        help_text="An approver of the borough who signs the procurement off before publication. "
        "It cannot be the lead officer.",
        error_messages={"invalid_choice": "Select an approver of the borough"},
    )
    evaluators = PeopleChoiceField(
        label="Evaluators",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Evaluators and procurement officers of the borough who will score proposals.",
        error_messages={"invalid_choice": "Select evaluators of the borough"},
    )

    def __init__(self, *args, procurement: Procurement, **kwargs):
        super().__init__(*args, procurement=procurement, **kwargs)
        borough = procurement.borough
        self.fields["lead_officer"].queryset = borough_people(
            borough=borough, roles=(OfficerRole.OFFICER,)
        )
        self.fields["approver"].queryset = borough_people(
            borough=borough, roles=(OfficerRole.APPROVER,)
        )
        self.fields["evaluators"].queryset = borough_people(
            borough=borough, roles=(OfficerRole.EVALUATOR, OfficerRole.OFFICER)
        )

    def initial_from(self, procurement: Procurement) -> dict:
        return {
            "lead_officer": procurement.lead_officer_id,
            "approver": procurement.approver_id,
            "evaluators": [person.pk for person in procurement.evaluators.all()],
        }
