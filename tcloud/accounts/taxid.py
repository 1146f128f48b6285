"""The 統一編號 (unified business number) checksum of Taiwan's Ministry of Finance.

Eight digits are multiplied by the weights 1,2,1,2,1,2,4,1; the digits of each product are
added up, and the number is valid when the total is divisible by 5. (Until 2023 the rule was
divisible by 10; every number valid then is still valid, so divisibility by 5 covers both.)
When the 7th digit is 7 its product is 28, whose digit sum 10 may be counted as 1 or as 0:
the number is valid if either total passes.
No database or Flask import here, so this can be tested and reused anywhere.
"""

from __future__ import annotations

WEIGHTS = (1, 2, 1, 2, 1, 2, 4, 1)
DIVISOR = 5


def _digit_sum(number: int) -> int:
    return sum(int(d) for d in str(number))


def normalise_tax_id(raw: str) -> str:
    """Strip spaces and full-width digits people paste from documents."""
    table = str.maketrans("０１２３４５６７８９", "0123456789")
    return "".join(raw.translate(table).split())


def is_valid_tax_id(tax_id: str) -> bool:
    """True when `tax_id` is eight ASCII digits that pass the checksum."""
    if len(tax_id) != 8 or not tax_id.isascii() or not tax_id.isdigit():
        return False
    digits = [int(c) for c in tax_id]
    sums = [_digit_sum(_digit_sum(d * w)) for d, w in zip(digits, WEIGHTS, strict=True)]
    total = sum(sums)
    if total % DIVISOR == 0:
        return True
    # 7th digit 7: 4*7 = 28 -> 10 counted as 1 above; counting it as 0 is also accepted.
    return digits[6] == 7 and (total - 1) % DIVISOR == 0
