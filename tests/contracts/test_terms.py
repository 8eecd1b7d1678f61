from decimal import Decimal

import pytest

from marketplace.contracts.terms import schedule, split_price
from marketplace.contracts.words import amount_in_words


@pytest.mark.parametrize("price, shares", [
    ("250000.00", ["40", "60"]),
    ("100.00", ["33.33", "33.33", "33.34"]),
    ("100.01", ["33.33", "33.33", "33.34"]),
    ("0.05", ["50", "50"]),
    ("999999.99", ["10", "15", "25", "50"]),
    ("1000.00", ["100"]),
])
def test_milestone_amounts_sum_exactly_to_the_price(price, shares):
    amounts = split_price(Decimal(price), [Decimal(s) for s in shares])
    assert sum(amounts) == Decimal(price)
    assert all(a >= 0 and a == a.quantize(Decimal("0.01")) for a in amounts)


def test_remainder_cents_go_to_the_last_milestone():
    assert split_price(Decimal("100.00"), [Decimal(1)] * 3) == [
        Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]


def test_due_dates_follow_each_other():
    import datetime as dt

    assert schedule(dt.date(2027, 1, 1), [14, 46]) == [dt.date(2027, 1, 15),
                                                      dt.date(2027, 3, 2)]


@pytest.mark.parametrize("amount, currency, words", [
    ("250000", "CNY", "two hundred fifty thousand yuan and 00/100"),
    ("1234567.89", "CNY",
     "one million two hundred thirty-four thousand five hundred sixty-seven yuan and 89/100"),
    ("101.5", "EUR", "one hundred one euros and 50/100"),
    ("0.07", "USD", "zero US dollars and 07/100"),
    ("12", "KES", "twelve KES and 00/100"),
])
def test_price_in_words(amount, currency, words):
    assert amount_in_words(Decimal(amount), currency) == words
