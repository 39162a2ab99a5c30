"""Forms for people: supplier sign-up, sign-in, organisation profile, invitations.

Forms validate input only; the services in core.services.accounts do the work.
"""

from allauth.account.forms import LoginForm, ResetPasswordForm, SignupForm
from django import forms
from django.contrib.auth import password_validation
from django.db import transaction

from core.models import SupplierOrganisation, SupplierRole, User
from core.models.accounts import Region
from core.services.accounts import DUPLICATE_CH_NUMBER, supplier_register
from core.validators import (
    normalise_companies_house_number,
    normalise_postcode,
    validate_companies_house_number,
    validate_postcode,
)

YES_NO = [("yes", "Yes"), ("no", "No")]
REGION_CHOICES = [("", "Choose a region"), *Region.choices]
CH_HINT = (
    "8 characters, like 01234567 or SC123456. Leave blank if your organisation is not "
    "registered at Companies House."
)


def _yes_no(label: str, hint: str, required_message: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        help_text=hint,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": required_message},
    )


def _organisation_fields() -> dict[str, forms.Field]:
    """The organisation questions asked at registration and on the profile page."""
    return {
        "companies_house_number": forms.CharField(
            label="Companies House number (optional)",
            help_text=CH_HINT,
            required=False,
            max_length=12,
            widget=forms.TextInput(attrs={"spellcheck": "false", "class": "govuk-input--width-10"}),
        ),
        "is_sme": _yes_no(
            "Is your organisation a small or medium-sized enterprise (SME)?",
            "Fewer than 250 staff, and a turnover of £44 million or less or a balance sheet of "
            "£38 million or less.",
            "Select yes if your organisation is a small or medium-sized enterprise",
        ),
        "is_vcse": _yes_no(
            "Is your organisation a voluntary, community or social enterprise (VCSE)?",
            "For example a charity, community interest company or co-operative.",
            "Select yes if your organisation is a voluntary, community or social enterprise",
        ),
        "region": forms.ChoiceField(
            label="Region",
            help_text="Where your organisation is based.",
            choices=REGION_CHOICES,
            error_messages={"required": "Select the region where your organisation is based"},
        ),
        "postcode": forms.CharField(
            label="Postcode",
            required=False,
            max_length=10,
            help_text="Of your organisation's registered or main office. "
            "Not needed outside the UK.",
            widget=forms.TextInput(
                attrs={"autocomplete": "postal-code", "class": "govuk-input--width-10"}
            ),
        ),
    }


class OrganisationFieldsMixin:
    """Cleaning shared by registration and the organisation profile."""

    organisation_pk: int | None = None

    def clean_companies_house_number(self) -> str:
        value = self.cleaned_data.get("companies_house_number", "")
        if not value.strip():
            return ""
        validate_companies_house_number(value)
        number = normalise_companies_house_number(value)
        others = SupplierOrganisation.objects.filter(companies_house_number=number)
        if self.organisation_pk is not None:
            others = others.exclude(pk=self.organisation_pk)
        if others.exists():
            raise forms.ValidationError(DUPLICATE_CH_NUMBER, code="duplicate")
        return number

    def clean_postcode(self) -> str:
        value = self.cleaned_data.get("postcode", "")
        if not value.strip():
            return ""
        validate_postcode(value)
        return normalise_postcode(value)

    def _require_uk_postcode(self, cleaned: dict) -> None:
        region = cleaned.get("region")
        missing = region and region != Region.OUTSIDE_UK and not cleaned.get("postcode")
        if missing and "postcode" not in self.errors:
            self.add_error("postcode", "Enter your organisation's postcode")


class PortalLoginForm(LoginForm):
    """allauth's sign-in form with GOV.UK labels: people sign in with their e-mail address."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = "E-mail address"
        login.widget.attrs.pop("placeholder", None)
        login.widget.attrs.update({"autocomplete": "email", "spellcheck": "false"})
        login.widget.input_type = "email"
        password = self.fields["password"]
        password.label = "Password"
        password.help_text = ""
        password.widget.attrs.pop("placeholder", None)

    def clean_login(self) -> str:
        # Addresses are stored in lower case; the lockout counts failures per address,
        # so "Ada@X" and "ada@x" must be the same account to it.
        return super().clean_login().lower()


class PortalResetPasswordForm(ResetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["email"]
        field.label = "E-mail address"
        field.widget.attrs.pop("placeholder", None)
        field.widget.attrs.update({"autocomplete": "email", "spellcheck": "false"})


class SupplierSignupForm(OrganisationFieldsMixin, SignupForm):
    """Supplier self-registration: the person, then their organisation.

    Creates the account with allauth (e-mail verification is mandatory) and the
    organisation with ``supplier_register``, the new person as its organisation admin.
    """

    field_order = [
        "full_name",
        "email",
        "password1",
        "password2",
        "organisation_name",
        "companies_house_number",
        "is_sme",
        "is_vcse",
        "region",
        "postcode",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"] = forms.CharField(
            label="Full name",
            max_length=200,
            widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
            error_messages={"required": "Enter your full name"},
        )
        self.fields["organisation_name"] = forms.CharField(
            label="Organisation name",
            max_length=200,
            help_text="The legal name of the company, charity or other body you work for.",
            widget=forms.TextInput(attrs={"autocomplete": "organization"}),
            error_messages={"required": "Enter the name of your organisation"},
        )
        self.fields.update(_organisation_fields())
        email = self.fields["email"]
        email.label = "E-mail address"
        email.help_text = "We will send you a link to confirm it."
        email.widget.attrs.pop("placeholder", None)
        email.widget.attrs.update({"autocomplete": "email", "spellcheck": "false"})
        email.error_messages["required"] = "Enter your e-mail address"
        password1, password2 = self.fields["password1"], self.fields["password2"]
        password1.label = "Create a password"
        password1.help_text = (
            "At least 10 characters. Avoid common words and passwords you use elsewhere."
        )
        password1.error_messages["required"] = "Create a password"
        password2.label = "Confirm your password"
        password2.error_messages["required"] = "Enter your password again to confirm it"
        for field in (password1, password2):
            field.widget.attrs.pop("placeholder", None)
            field.widget.attrs["autocomplete"] = "new-password"
        self.order_fields(self.field_order)

    def clean(self):
        cleaned = super().clean()
        self._require_uk_postcode(cleaned)
        return cleaned

    def save(self, request):
        # The account and its organisation are created together or not at all.
        with transaction.atomic():
            return super().save(request)

    def signup(self, request, user):
        data = self.cleaned_data
        supplier_register(
            user=user,
            full_name=data["full_name"],
            organisation_name=data["organisation_name"],
            companies_house_number=data.get("companies_house_number", ""),
            is_sme=data["is_sme"],
            is_vcse=data["is_vcse"],
            region=data["region"],
            postcode=data.get("postcode", ""),
        )


class OrganisationProfileForm(OrganisationFieldsMixin, forms.Form):
    name = forms.CharField(
        label="Organisation name",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
        error_messages={"required": "Enter the name of your organisation"},
    )

    def __init__(self, *args, organisation: SupplierOrganisation, **kwargs):
        initial = {
            "name": organisation.name,
            "companies_house_number": organisation.companies_house_number,
            "is_sme": "yes" if organisation.is_sme else "no",
            "is_vcse": "yes" if organisation.is_vcse else "no",
            "region": organisation.region,
            "postcode": organisation.postcode,
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.organisation_pk = organisation.pk
        self.fields.update(_organisation_fields())
        self.fields["companies_house_number"].label = "Companies House number (optional)"

    def clean(self):
        cleaned = super().clean()
        self._require_uk_postcode(cleaned)
        return cleaned


class SupplierInviteForm(forms.Form):
    email = forms.EmailField(
        label="Colleague's e-mail address",
        help_text="We will e-mail them a link to join. The link works once, for 7 days.",
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your colleague's e-mail address",
            "invalid": "Enter an e-mail address in the correct format, like name@example.com",
        },
    )
    role = forms.ChoiceField(
        label="Role",
        choices=SupplierRole.choices,
        initial=SupplierRole.MEMBER,
        widget=forms.RadioSelect,
        help_text="Organisation admins can change the profile and invite colleagues.",
        error_messages={"required": "Select a role"},
    )


class InvitationSignupForm(forms.Form):
    """Create an account for the invited address (which is fixed by the invitation)."""

    full_name = forms.CharField(
        label="Full name",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
        error_messages={"required": "Enter your full name"},
    )
    password1 = forms.CharField(
        label="Create a password",
        strip=False,
        help_text="At least 10 characters. Avoid common words and passwords you use elsewhere.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Create a password"},
    )
    password2 = forms.CharField(
        label="Confirm your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Confirm your password"},
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password1")
        if password:
            try:
                password_validation.validate_password(
                    password, User(email=self.email, full_name=cleaned.get("full_name", ""))
                )
            except forms.ValidationError as error:
                self.add_error("password1", error)
        if password and cleaned.get("password2") and password != cleaned["password2"]:
            self.add_error("password2", "Enter the same password in both boxes")
        return cleaned
