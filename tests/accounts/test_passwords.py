from tcloud.accounts.passwords import password_problem


def test_length_over_complexity():
    assert password_problem("short") == "too_short"
    assert password_problem("x" * 129) == "too_long"
    assert password_problem("a sentence i remember") is None


def test_refuses_common_and_repetitive_passwords():
    assert password_problem("1234567890") == "too_common"
    assert password_problem("abababababab") == "too_common"


def test_refuses_password_containing_the_email_name():
    assert password_problem("meimei-noodles-2026", email="meimei@example.com") == "contains_email"
    assert password_problem("noodles and broth", email="meimei@example.com") is None
