"""The 統一編號 checksum (Ministry of Finance rule, including the 2023 divisible-by-5 change)."""

import pytest

from tcloud.accounts.taxid import is_valid_tax_id, normalise_tax_id


@pytest.mark.parametrize("tax_id", [
    "22099131",  # Taiwan Semiconductor Manufacturing Co.: weighted digit sum 30
    "04595257",  # textbook example: sum 40
    "84149961",
    "53212539",
    "10458575",  # 7th digit 7: sum 21 counting 28 as 1, 20 counting it as 0 -> valid
    "10458574",  # 7th digit 7: sum 20 counting 28 as 1 -> valid
])
def test_accepts_known_valid_numbers(tax_id):
    assert is_valid_tax_id(tax_id)


@pytest.mark.parametrize("tax_id", [
    "04595252",  # sum 35: invalid under the old divisible-by-10 rule, valid since 2023
    "10458570",  # 7th digit 7: sums 16 / 15; only the 0-count passes, by the 5-rule
])
def test_accepts_numbers_valid_only_under_the_divisible_by_five_rule(tax_id):
    assert is_valid_tax_id(tax_id)


@pytest.mark.parametrize("tax_id", [
    "04595258",  # sum 41
    "22099132",  # sum 31
    "10458572",  # 7th digit 7: sums 18 / 17, neither divisible by 5
    "28318018",
    "1234567",  # seven digits
    "123456789",  # nine digits
    "2209913A",
    "",
    "２２０９９１３１",  # full-width digits must be normalised first
])
def test_refuses_invalid_numbers(tax_id):
    assert not is_valid_tax_id(tax_id)


def test_normalises_what_people_paste():
    assert normalise_tax_id(" ２２０９ ９１３１ ") == "22099131"
    assert is_valid_tax_id(normalise_tax_id("２２０９９１３１"))
