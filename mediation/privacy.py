"""Checking, normalising and masking the personal numbers parties give: ID numbers and phones."""

import re
import unicodedata
from datetime import date

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"
_ID_SHAPE = re.compile(r"[0-9]{17}[0-9X]")
_OLD_ID_SHAPE = re.compile(r"[0-9]{15}")
_PROVINCE_CODES = frozenset(
    str(code)
    for code in (
        *range(11, 16),
        *range(21, 24),
        *range(31, 38),
        *range(41, 47),
        *range(50, 55),
        *range(61, 66),
        71,
        81,
        82,
        83,
        91,
    )
)
_SEX_LABELS = {"male": "男", "female": "女", "男": "男", "女": "女"}

_MOBILE = re.compile(r"(?:\+86|0086|86)?(1[3-9][0-9]{9})")
# Area codes are 010 and 020–029 (two digits after the 0) or 0 plus three digits starting 3–9,
# so the area code can be told from the local number even when the dash is left out.
_LANDLINE = re.compile(
    r"\(?(0(?:10|2[0-9]|[3-9][0-9]{2}))\)?-?([0-9]{7,8})"
    r"(?:(?:-|转|#|ext\.?|x)([0-9]{1,6}))?",
    re.IGNORECASE,
)


def _compact(value: str | None) -> str:
    """Fold full-width characters from Chinese input methods to ASCII and drop all whitespace."""
    return "".join(unicodedata.normalize("NFKC", value or "").split())


def id_check_char(first17: str) -> str:
    """Compute the ISO 7064 MOD 11-2 check character for the first 17 digits of an ID number."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CHARS[total % 11]


def normalize_id_number(value: str | None) -> str:
    """Return the ID number without spaces, in half-width characters, with an upper-case X."""
    return _compact(value).upper()


def id_number_problem(value: str, sex: str | None = None, today: date | None = None) -> str | None:
    """Say in Chinese what is wrong with a resident ID number (GB 11643-1999), or None if valid."""
    number = normalize_id_number(value)
    if not number:
        return "请填写身份证号码。"
    if _OLD_ID_SHAPE.fullmatch(number):
        return "这是15位的旧版身份证号码，请填写18位的新版身份证号码。"
    if len(number) != 18:
        return f"身份证号码应为18位，现在是{len(number)}位，请核对。"
    if not _ID_SHAPE.fullmatch(number):
        return "身份证号码的前17位应为数字，最后一位为数字或X，请核对。"
    # The check digit comes first: it catches any single mistyped digit wherever it is.
    if id_check_char(number[:17]) != number[17]:
        return "身份证号码校验位不正确，请逐位核对号码，尤其是最后一位。"
    if number[:2] not in _PROVINCE_CODES:
        return f"身份证号码前两位 {number[:2]} 不是有效的省级地区代码，请核对。"
    birth = number[6:14]
    try:
        born = date(int(birth[:4]), int(birth[4:6]), int(birth[6:]))
    except ValueError:
        return f"身份证号码中的出生日期 {birth} 不存在，请核对第7至14位。"
    if born.year < 1900:
        return f"身份证号码中的出生日期 {birth} 早于1900年，请核对第7至14位。"
    if born > (today or date.today()):
        return f"身份证号码中的出生日期 {birth} 晚于今天，请核对第7至14位。"
    if sex:
        expected = _SEX_LABELS.get(sex.lower())
        if expected is None:
            raise ValueError(f"unknown sex {sex!r}; use male/female or 男/女")
        encoded = "男" if int(number[16]) % 2 else "女"
        if encoded != expected:
            return (
                f"身份证号码第17位表示{encoded}性，与所填性别“{expected}”不一致，请核对号码或性别。"
            )
    return None


def id_birth_date(number: str) -> date:
    """The birth date written in a valid 18-digit ID number (digits 7 to 14)."""
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def id_sex(number: str) -> str:
    """The sex a valid 18-digit ID number encodes: its 17th digit odd for male, even for female."""
    return "male" if int(number[16]) % 2 else "female"


def _parse_phone(value: str | None) -> tuple[str, str, str] | None:
    """Split a phone number into (area code, number, extension); mobiles have no area code."""
    compact = _compact(value)
    mobile = _MOBILE.fullmatch(compact.replace("-", ""))
    if mobile:
        return "", mobile[1], ""
    landline = _LANDLINE.fullmatch(compact)
    if landline:
        return landline[1], landline[2], landline[3] or ""
    return None


def phone_problem(value: str) -> str | None:
    """Say in Chinese what is wrong with a mainland mobile or landline number, or None if valid."""
    compact = _compact(value)
    if not compact:
        return "请填写联系电话。"
    if _parse_phone(compact):
        return None
    digits = re.sub(r"^(?:\+86|0086)|[-()]", "", compact)
    if digits.isascii() and digits.isdigit() and digits.startswith("1"):
        if len(digits) != 11:
            return f"手机号码应为11位，现在是{len(digits)}位，请核对。"
        return f"手机号码 {digits} 的号段不存在，手机号码应以13至19开头，请核对。"
    return (
        "电话号码格式不正确：手机号码为11位数字，"
        "固定电话为区号加7至8位号码（如 010-12345678），请核对。"
    )


def normalize_phone(value: str | None) -> str:
    """Return a mobile as 11 digits, a landline as 区号-号码[转分机], anything else compacted."""
    parsed = _parse_phone(value)
    if parsed is None:
        return _compact(value)
    area, number, extension = parsed
    if not area:
        return number
    return f"{area}-{number}" + (f"转{extension}" if extension else "")


def mask_id_number(value: str | None) -> str:
    """Show an ID number as its first 6 and last 4 characters with the rest starred."""
    number = normalize_id_number(value)
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_phone(value: str | None) -> str:
    """Show a mobile as 138****5678, a landline as 010-******78, anything else as ****78."""
    parsed = _parse_phone(value)
    if parsed is None:
        compact = _compact(value)
        return "*" * max(len(compact) - 2, 0) + compact[-2:]
    area, number, _extension = parsed
    if not area:
        return number[:3] + "****" + number[-4:]
    return f"{area}-" + "*" * (len(number) - 2) + number[-2:]


def mask_name(name: str | None) -> str:
    """The first character, then ＊ for each other one: 王建国 → 王＊＊ (organisations too);
    what the public verification page shows of the parties."""
    name = (name or "").strip()
    return name[:1] + "＊" * (len(name) - 1)
