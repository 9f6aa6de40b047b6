"""Amounts of money in capital Chinese numerals (大写), as agreements and receipts write them."""

from decimal import ROUND_HALF_UP, Decimal

DIGITS = "零壹贰叁肆伍陆柒捌玖"
SMALL_UNITS = ("", "拾", "佰", "仟")
BIG_UNITS = ("", "万", "亿", "万亿")


def _four_digits(number: int) -> str:
    """0 < number < 10000 → e.g. 3005 → 叁仟零伍 (a leading gap is the caller's to mark)."""
    text, zero = "", False
    for position in range(3, -1, -1):
        digit = number // 10**position % 10
        if digit == 0:
            zero = bool(text)
            continue
        if zero:
            text += "零"
            zero = False
        text += DIGITS[digit] + SMALL_UNITS[position]
    return text


def _integer(number: int) -> str:
    """A whole number of yuan in capitals: 10050 → 壹万零伍拾."""
    if number == 0:
        return "零"
    groups = []
    while number:
        groups.append(number % 10000)
        number //= 10000
    if len(groups) > len(BIG_UNITS):
        raise ValueError("amount too large")
    text, gap = "", False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            gap = bool(text)
            continue
        if text and (gap or group < 1000):
            text += "零"
        text += _four_digits(group) + BIG_UNITS[index]
        gap = False
    return text


def capital_yuan(amount: Decimal | int | str) -> str:
    """人民币 amount in 大写, as on a cheque: 3500 → 叁仟伍佰元整; 12.05 → 壹拾贰元零伍分.

    Rounded to the fen. Negative amounts are refused (ValueError): an agreement states what
    one side pays the other.
    """
    value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if value < 0:
        raise ValueError("amount must not be negative")
    fen_total = int(value * 100)
    yuan, jiao, fen = fen_total // 100, fen_total // 10 % 10, fen_total % 10
    text = ""
    if yuan:
        # 10–19 yuan read 壹拾…, as banks write them (_integer never drops the 壹).
        text = _integer(yuan) + "元"
    if not jiao and not fen:
        return (text or "零元") + "整"
    if jiao:
        text += DIGITS[jiao] + "角"
    elif yuan:
        text += "零"
    if fen:
        text += DIGITS[fen] + "分"
    else:
        text += "整"
    return text
