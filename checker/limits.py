"""The bounds of the answers format v1, each declared once.

The validation (`answers.py`), the JSON Schema (`schema.py`), the checker pages
(their `data-` attributes, read by docs/assets/checker/) and the partner page all
read these figures; none is typed again anywhere else.
"""

from __future__ import annotations

from decimal import Decimal

# The largest amount (euro): 999,999,999,999.99, a cent below a thousand billion. The result's amounts
# are JSON numbers (binary floats): every amount with at most 15 significant digits reads back exactly,
# and the sum of the nine expense types of a call plus 7% of indirect costs stays below 10^13 euro, so
# every cent of every figure of the result survives. The bound is one cent below a power of ten, so a
# plain decimal text is within it exactly when its integer part has at most MAX_AMOUNT_DIGITS digits.
MAX_AMOUNT = Decimal("999999999999.99")
MAX_AMOUNT_DIGITS = len(str(int(MAX_AMOUNT)))
# Every integer answer (months of the project, filed financial statements, ...) is at most this.
MAX_INTEGER = 999
# The headcount of the SME class helper (checker/sme.py), in annual work units (ULA): a fraction of a unit
# counts, to the hundredth; at most a hundredth below ten million, far above any employer (the largest
# count about two million persons). The SME ceilings are whole numbers («meno di 10»), so a headcount cut
# (not rounded) to the hundredth compares with them as the exact figure does.
MAX_HEADCOUNT = Decimal("9999999.99")
HEADCOUNT_DECIMALS = 2
# Members of an aggregation or partnership: far above any real one.
MAX_MEMBERS = 1000
# The size of an answers text the checker page opens, from a file or a link (UTF-8 bytes): a thousand
# members with long names take about a fifth of it; a link to it stays below the 2 MB browsers accept.
MAX_ANSWERS_BYTES = 1_000_000
# The years `submitted_at` (and the evaluation time) may name: whole centuries, so that the JSON Schema
# can say it with a pattern. Beyond them an instant could not even be converted between time zones.
MIN_YEAR = 1900
MAX_YEAR = 2999
# How many characters of a bad value an error message quotes (then «…»).
QUOTE_CHARS = 40

assert MAX_AMOUNT + Decimal("0.01") == Decimal(10) ** MAX_AMOUNT_DIGITS
assert MIN_YEAR % 100 == 0 and (MAX_YEAR + 1) % 100 == 0 and 1000 <= MIN_YEAR < MAX_YEAR <= 9999


def year_pattern() -> str:
    """A regular expression (the same in Python and ECMA-262) of the four-digit years MIN_YEAR to MAX_YEAR."""
    centuries = "|".join(str(c) for c in range(MIN_YEAR // 100, (MAX_YEAR + 1) // 100))
    return f"(?:{centuries})[0-9]{{2}}"
