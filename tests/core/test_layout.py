"""The layout every page shares, and GOV.UK markup for every form."""

import re
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import constants as message_levels
from django.contrib.messages.storage.fallback import FallbackStorage
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils.html import escape
from django.views import defaults

BUILD = Path(settings.BASE_DIR) / "static" / "build"


# --- the compiled front end ----------------------------------------------------------


def test_compiled_css_has_no_gds_transport_font_and_no_crown_image():
    css = (BUILD / "portal.css").read_text()

    assert ".govuk-header" in css  # it really is GOV.UK Frontend
    assert "GDS Transport" not in css
    assert "/fonts/" not in css
    assert "govuk-crest" not in css
    assert "font-family:arial,sans-serif" in css.replace('"', "").lower()


def test_build_ships_govuk_frontend_script_and_its_starter_but_no_fonts():
    assert (BUILD / "govuk-frontend.min.js").is_file()
    starter = (BUILD / "portal.js").read_text()
    assert "from './govuk-frontend.min.js'" in starter
    assert "initAll()" in starter
    assert not list(BUILD.rglob("*.woff*"))


# --- the page layout -----------------------------------------------------------------


def test_every_page_has_the_portal_name_as_text_and_no_crown(client, db):
    html = client.get("/").content.decode()

    assert '<a href="/" class="govuk-generic-header__homepage-link">' in html
    assert "<svg" not in html
    assert "govuk-logo" not in html
    assert "govuk-header__logotype" not in html
    assert "Crown copyright" not in html
    assert "Open Government Licence" in html


def test_layout_has_skip_link_landmarks_and_beta_banner_with_feedback_address(client, db):
    html = client.get("/").content.decode()

    assert '<a href="#main-content" class="govuk-skip-link"' in html
    assert '<main class="govuk-main-wrapper" id="main-content">' in html
    assert '<header class="govuk-template__header">' in html
    assert '<footer class="govuk-template__footer">' in html
    assert '<strong class="govuk-tag govuk-phase-banner__content__tag">Beta</strong>' in html
    assert f'href="mailto:{settings.FEEDBACK_EMAIL}' in html
    assert html.count("<h1") == 1


def test_inline_script_carries_the_csp_nonce_and_scripts_load_as_modules(client, db):
    response = client.get("/")
    html = response.content.decode()
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)

    assert f'<script nonce="{nonce}">document.body.className' in html
    assert '<script type="module" src="/static/portal.js"' in html


def test_signed_out_navigation_offers_sign_in(client, db):
    html = client.get("/").content.decode()

    assert 'href="/accounts/login/">Sign in</a>' in html
    assert "Sign out" not in html


def test_signed_in_navigation_names_the_person_and_signs_out_with_a_post(personas, login):
    html = login(personas.supplier_a_admin).get("/").content.decode()

    # Escaped as the page escapes it: a name like O'Brien is O&#x27;Brien in the HTML.
    assert f"Signed in as </span>{escape(personas.supplier_a_admin.get_full_name())}" in html
    sign_out = re.search(r'<form method="post" action="/accounts/logout/">(.*?)</form>', html)
    assert sign_out is not None
    assert 'name="csrfmiddlewaretoken"' in sign_out.group(1)
    assert '<button type="submit" class="portal-link-button">Sign out</button>' in sign_out.group(1)


def test_messages_show_as_notification_banners(rf, db):
    request = rf.get("/")
    request.session = {}
    storage = FallbackStorage(request)
    storage.add(message_levels.SUCCESS, "Your profile has been saved.")
    storage.add(message_levels.INFO, "Check your e-mail.")

    html = render_to_string("includes/messages.html", {"messages": storage})

    assert "govuk-notification-banner--success" in html
    assert 'role="alert"' in html
    assert 'role="region"' in html
    assert ">Success</h2>" in html
    assert ">Important</h2>" in html
    assert "Your profile has been saved." in html


# --- error pages ---------------------------------------------------------------------


def test_page_not_found_uses_govuk_wording(client, db):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "<title>Page not found \u2013 " in html
    assert "If you typed the web address, check it is correct." in html


def test_forbidden_page_explains_and_keeps_the_layout(rf, db, personas):
    request = rf.get("/officer/")
    request.user = personas.supplier_a_member

    response = defaults.permission_denied(request, exception=None)

    assert response.status_code == 403
    html = response.content.decode()
    assert "You cannot see this page" in html
    assert "govuk-generic-header" in html


def test_server_error_page_stands_alone_without_a_request_context(rf):
    response = defaults.server_error(rf.get("/"))

    assert response.status_code == 500
    html = response.content.decode()
    assert "Sorry, there is a problem with the service" in html
    assert "Try again later." in html


# --- forms ---------------------------------------------------------------------------


class EveryKindOfField(forms.Form):
    name = forms.CharField(
        help_text="As it appears on your passport",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "autocomplete": "name"}),
    )
    email = forms.EmailField(widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    employees = forms.IntegerField()
    website = forms.URLField(required=False, assume_scheme="https")
    start = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    summary = forms.CharField(widget=forms.Textarea)
    region = forms.ChoiceField(choices=[("ldn", "London"), ("se", "South East")])
    agree = forms.BooleanField(label="I accept the terms")
    size = forms.ChoiceField(
        choices=[("sme", "Small or medium"), ("large", "Large")],
        widget=forms.RadioSelect,
        help_text="Choose one",
    )
    flags = forms.MultipleChoiceField(
        choices=[("vcse", "VCSE"), ("sme", "SME")], widget=forms.CheckboxSelectMultiple
    )
    evidence = forms.FileField()
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        raise forms.ValidationError("These details do not match our records.")


@pytest.fixture
def invalid_form():
    form = EveryKindOfField(
        data={"name": "Ada Lovelace", "email": "not-an-address", "size": "large", "flags": ["sme"]}
    )
    assert not form.is_valid()
    return form


def _group(html: str, field_id: str) -> str:
    """The form group holding the control with id `field_id`."""
    groups = re.findall(r'<div class="govuk-form-group.*?\n</div>', html, re.S)
    matching = [group for group in groups if f'id="{field_id}"' in group]
    assert len(matching) == 1, f"no single form group for {field_id}"
    return matching[0]


def test_text_input_has_label_hint_width_and_autocomplete_and_keeps_the_value(invalid_form):
    group = _group(str(invalid_form), "id_name")

    assert '<label class="govuk-label" for="id_name">Name</label>' in group
    assert '<div class="govuk-hint" id="id_name_helptext">As it appears on your passport</div>' in (
        group
    )
    assert 'class="govuk-input govuk-input--width-20"' in group
    assert 'autocomplete="name"' in group
    assert 'value="Ada Lovelace"' in group
    assert 'aria-describedby="id_name_helptext"' in group
    assert "govuk-form-group--error" not in group


def test_field_in_error_has_govuk_error_message_classes_and_keeps_what_was_typed(invalid_form):
    group = _group(str(invalid_form), "id_email")

    assert group.startswith('<div class="govuk-form-group govuk-form-group--error">')
    assert (
        '<p class="govuk-error-message" id="id_email_error">'
        '<span class="govuk-visually-hidden">Error:</span> Enter a valid email address.</p>'
    ) in group
    assert 'class="govuk-input govuk-input--error"' in group
    assert 'value="not-an-address"' in group
    assert 'aria-describedby="id_email_error"' in group
    assert 'autocomplete="email"' in group


@pytest.mark.parametrize(
    ("field_id", "control"),
    [
        ("id_employees", 'type="number"'),
        ("id_start", 'type="date"'),
        ("id_summary", 'class="govuk-textarea govuk-textarea--error"'),
        ("id_region", 'class="govuk-select govuk-select--error"'),
        ("id_evidence", 'class="govuk-file-upload govuk-file-upload--error"'),
    ],
)
def test_each_kind_of_control_gets_its_govuk_class(invalid_form, field_id, control):
    group = _group(str(invalid_form), field_id)

    assert control in group
    assert 'class="govuk-error-message"' in group


def test_password_uses_the_password_input_component_and_is_not_sent_back(invalid_form):
    group = _group(str(invalid_form), "id_password")

    assert 'govuk-password-input" data-module="govuk-password-input"' in group
    assert "govuk-password-input__input govuk-js-password-input-input" in group
    assert 'autocomplete="new-password"' in group
    assert 'aria-controls="id_password"' in group
    assert "value=" not in group.split("<button")[0].split('type="password"')[1]


def test_single_checkbox_is_a_govuk_checkbox_labelled_by_the_field(invalid_form):
    group = _group(str(invalid_form), "id_agree")

    assert '<div class="govuk-checkboxes" data-module="govuk-checkboxes">' in group
    assert 'class="govuk-checkboxes__input"' in group
    assert (
        '<label class="govuk-label govuk-checkboxes__label" for="id_agree">I accept the terms'
        in group
    )


def test_radios_are_in_a_fieldset_with_legend_hint_and_keep_the_choice(invalid_form):
    group = _group(str(invalid_form), "id_size_0")

    assert '<fieldset class="govuk-fieldset" aria-describedby="id_size_helptext">' in group
    assert "<legend" in group and ">Size</legend>" in group
    assert '<div class="govuk-radios" data-module="govuk-radios">' in group
    assert re.search(r'<input type="radio" name="size" value="large"[^>]*checked', group)
    assert '<label class="govuk-label govuk-radios__label" for="id_size_0">Small or medium' in (
        group
    )


def test_checkboxes_are_in_a_fieldset_and_keep_the_ticks(invalid_form):
    group = _group(str(invalid_form), "id_flags_0")

    assert '<fieldset class="govuk-fieldset"' in group
    assert '<div class="govuk-checkboxes" data-module="govuk-checkboxes">' in group
    assert re.search(r'<input type="checkbox" name="flags" value="sme"[^>]*checked', group)
    assert not re.search(r'<input type="checkbox" name="flags" value="vcse"[^>]*checked', group)


def test_one_field_renders_alone_as_a_field_group(invalid_form):
    html = str(invalid_form["email"].as_field_group())

    assert html.startswith('<div class="govuk-form-group govuk-form-group--error">')
    assert 'id="id_email"' in html
    assert 'id="id_name"' not in html


def test_hidden_fields_render_without_a_form_group(invalid_form):
    html = str(invalid_form)

    assert '<input type="hidden" name="token" id="id_token">' in html


def test_error_summary_lists_form_errors_then_field_errors_linked_to_their_controls(
    invalid_form,
):
    html = render_to_string("includes/error_summary.html", {"form": invalid_form})

    assert 'data-module="govuk-error-summary"' in html
    assert '<div role="alert">' in html
    assert '<h2 class="govuk-error-summary__title">There is a problem</h2>' in html
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', html)
    assert links[0] == ("id_name", "These details do not match our records.")
    assert ("id_email", "Enter a valid email address.") in links
    assert ("id_agree", "This field is required.") in links
    assert ("id_evidence", "This field is required.") in links
    linked_ids = [anchor for anchor, _ in links]
    assert "id_size_0" not in linked_ids  # the radio was answered
    # Field errors follow the order of the form.
    assert (
        linked_ids.index("id_email")
        < linked_ids.index("id_summary")
        < linked_ids.index("id_evidence")
    )


def test_error_summary_links_an_unanswered_radio_group_to_its_first_radio():
    class Choose(forms.Form):
        size = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)

    form = Choose(data={})
    form.is_valid()

    html = render_to_string("includes/error_summary.html", {"form": form})

    assert '<a href="#id_size_0">This field is required.</a>' in html


def test_error_summary_is_empty_for_a_valid_or_unbound_form():
    class Name(forms.Form):
        name = forms.CharField()

    assert render_to_string("includes/error_summary.html", {"form": Name()}).strip() == ""
    valid = Name(data={"name": "Ada"})
    assert valid.is_valid()
    assert render_to_string("includes/error_summary.html", {"form": valid}).strip() == ""


def test_page_title_starts_with_error_when_the_form_has_errors(rf, db, invalid_form):
    template = Template('{% extends "base.html" %}{% block title %}Sign in{% endblock %}')
    request = rf.get("/")
    request.user = AnonymousUser()
    request.csp_nonce = "n"

    with_errors = template.render(Context({"form": invalid_form, "request": request}))
    without = template.render(Context({"form": EveryKindOfField(), "request": request}))

    assert "<title>Error: Sign in</title>" in with_errors
    assert "<title>Sign in</title>" in without


def test_form_renderer_is_the_settings_default():
    assert settings.FORM_RENDERER == "core.forms_rendering.GOVUKFormRenderer"
    assert type(forms.Form().renderer).__name__ == "GOVUKFormRenderer"


class YesNoAndCode(forms.Form):
    is_sme = forms.ChoiceField(choices=[("yes", "Yes"), ("no", "No")], widget=forms.RadioSelect)
    region = forms.ChoiceField(
        choices=[("ldn", "London"), ("se", "South East"), ("sw", "South West")],
        widget=forms.RadioSelect,
    )
    code = forms.CharField(
        widget=forms.TextInput(attrs={"placeholder": "Code", "autocomplete": "one-time-code"})
    )


def test_yes_no_radios_sit_inline_and_longer_choices_stack():
    html = str(YesNoAndCode())

    assert '<div class="govuk-radios govuk-radios--inline" data-module="govuk-radios">' in (
        _group(html, "id_is_sme_0")
    )
    assert '<div class="govuk-radios" data-module="govuk-radios">' in _group(html, "id_region_0")


def test_a_one_time_code_gets_a_short_numeric_box_and_no_placeholder():
    group = _group(str(YesNoAndCode()), "id_code")

    assert "placeholder" not in group
    assert 'inputmode="numeric"' in group
    assert "govuk-input--width-10" in group
    assert 'autocomplete="one-time-code"' in group
