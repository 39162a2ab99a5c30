import pytest
from django.core.exceptions import ValidationError

from core.validators import (
    normalise_companies_house_number,
    normalise_postcode,
    validate_companies_house_number,
    validate_postcode,
)

CH_MESSAGE = "Enter a Companies House number in the correct format, like 01234567 or SC123456"


@pytest.mark.parametrize("number", ["01234567", "SC123456", "R0123456", "ni012345", " 0123 4567 "])
def test_companies_house_numbers_of_the_registered_shapes_are_accepted(number):
    validate_companies_house_number(number)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("1234", "00001234"), ("sc123456", "SC123456"), ("0123 4567", "01234567")],
)
def test_companies_house_numbers_are_normalised(typed, stored):
    assert normalise_companies_house_number(typed) == stored


@pytest.mark.parametrize("number", ["AB12", "12345678X", "123456789", "S1234567", "R1234567"])
def test_companies_house_numbers_of_the_wrong_shape_are_refused_with_a_clear_message(number):
    with pytest.raises(ValidationError) as error:
        validate_companies_house_number(number)
    assert error.value.messages == [CH_MESSAGE]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("sw1a1aa", "SW1A 1AA"), ("SE1 7PB", "SE1 7PB"), ("m1  1ae", "M1 1AE"), ("GIR0AA", "GIR 0AA")],
)
def test_postcodes_are_accepted_and_normalised(typed, stored):
    validate_postcode(typed)
    assert normalise_postcode(typed) == stored


@pytest.mark.parametrize("postcode", ["12345", "SW1A", "ABC 123", "SW1A 1AAA", ""])
def test_postcodes_of_the_wrong_shape_are_refused(postcode):
    with pytest.raises(ValidationError) as error:
        validate_postcode(postcode)
    assert error.value.messages == ["Enter a real postcode, like SW1A 1AA"]
