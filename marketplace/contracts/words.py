"""Amounts in words for the contract: "two hundred fifty thousand yuan and 00/100"."""

from __future__ import annotations

from decimal import Decimal

from num2words import num2words

from marketplace.core.money import quantize

# The currency's name as a contract writes it; others fall back to the ISO code.
CURRENCY_NAMES = {
    "CNY": "yuan", "USD": "US dollars", "EUR": "euros", "GBP": "pounds sterling",
    "HKD": "Hong Kong dollars", "JPY": "yen", "SGD": "Singapore dollars", "CHF": "Swiss francs",
}


def integer_in_words(number: int) -> str:
    """`250000` -> "two hundred fifty thousand" (num2words, without the British "and")."""
    words = num2words(number, lang="en")
    return " ".join(words.replace(",", "").replace(" and ", " ").split())


def amount_in_words(amount: Decimal, currency: str) -> str:
    """The amount in words with the cents as a fraction, as cheques and contracts write it."""
    amount = quantize(Decimal(amount))
    sign = "minus " if amount < 0 else ""
    amount = abs(amount)
    units = int(amount)
    cents = int((amount - units) * 100)
    name = CURRENCY_NAMES.get(currency.upper(), currency.upper())
    return f"{sign}{integer_in_words(units)} {name} and {cents:02d}/100"
