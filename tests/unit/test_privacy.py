from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mediation.privacy import (
    id_number_problem,
    mask_id_number,
    mask_phone,
    normalize_id_number,
    normalize_phone,
    phone_problem,
)

PROVINCES = [
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
]


def check_char(first17):
    """Compute the MOD 11-2 check character from its definition: weights are 2**(17-i) mod 11."""
    total = sum(int(d) * pow(2, 17 - i, 11) for i, d in enumerate(first17))
    return "0123456789X"[(12 - total % 11) % 11]


def make_id(region="420102", birth="19900101", sequence="123"):
    """Build an ID number with a correct check character around the given parts."""
    first17 = region + birth + sequence
    return first17 + check_char(first17)


def test_published_sample_of_a_woman_born_1949_is_valid():
    assert check_char("11010519491231002") == "X"
    assert id_number_problem("11010519491231002X") is None
    assert id_number_problem("11010519491231002X", sex="female") is None
    assert id_number_problem("11010519491231002X", sex="女") is None


def test_built_numbers_are_valid():
    assert id_number_problem(make_id()) is None
    assert id_number_problem(make_id("110105", "20000229", "001"), sex="male") is None
    assert id_number_problem(make_id("910000", "19000101", "002"), sex="女") is None


def test_lowercase_x_and_spaces_are_accepted_and_normalised():
    assert id_number_problem("11010519491231002x") is None
    assert normalize_id_number(" 110105 19491231 002x ") == "11010519491231002X"


def test_full_width_digits_from_chinese_input_are_accepted():
    assert normalize_id_number("１１０１０５１９４９１２３１００２ｘ") == "11010519491231002X"
    assert id_number_problem("１１０１０５１９４９１２３１００２Ｘ") is None


def test_wrong_check_digit_is_reported():
    number = make_id()
    wrong = "0" if number[-1] != "0" else "1"
    assert id_number_problem(number[:-1] + wrong) == (
        "身份证号码校验位不正确，请逐位核对号码，尤其是最后一位。"
    )


def test_february_30_is_not_a_birth_date():
    problem = id_number_problem(make_id(birth="19990230"))
    assert problem == "身份证号码中的出生日期 19990230 不存在，请核对第7至14位。"


def test_1900_was_not_a_leap_year():
    assert "19000229 不存在" in id_number_problem(make_id(birth="19000229"))


def test_birth_before_1900_is_rejected():
    assert "早于1900年" in id_number_problem(make_id(birth="18991231"))


def test_birth_date_in_the_future_is_rejected():
    today = date(2024, 5, 1)
    assert id_number_problem(make_id(birth="20240501"), today=today) is None
    problem = id_number_problem(make_id(birth="20240502"), today=today)
    assert problem == "身份证号码中的出生日期 20240502 晚于今天，请核对第7至14位。"


def test_male_number_with_female_sex_is_reported():
    number = make_id(sequence="123")
    assert id_number_problem(number, sex="male") is None
    assert id_number_problem(number, sex="female") == (
        "身份证号码第17位表示男性，与所填性别“女”不一致，请核对号码或性别。"
    )


def test_female_number_with_male_sex_is_reported():
    number = make_id(sequence="124")
    assert id_number_problem(number, sex="女") is None
    assert id_number_problem(number, sex="男") == (
        "身份证号码第17位表示女性，与所填性别“男”不一致，请核对号码或性别。"
    )


def test_unknown_sex_value_is_a_programming_error():
    with pytest.raises(ValueError):
        id_number_problem(make_id(), sex="unknown")


@pytest.mark.parametrize("province", ["00", "10", "16", "24", "38", "47", "55", "72", "84", "99"])
def test_number_from_no_province_is_rejected(province):
    problem = id_number_problem(make_id(region=province + "0102"))
    assert problem == f"身份证号码前两位 {province} 不是有效的省级地区代码，请核对。"


def test_old_15_digit_number_asks_for_the_18_digit_one():
    assert id_number_problem("420102900101123") == (
        "这是15位的旧版身份证号码，请填写18位的新版身份证号码。"
    )


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("", "请填写身份证号码。"),
        ("4201021990010112", "身份证号码应为18位，现在是16位，请核对。"),
        ("42010219900101123A", "身份证号码的前17位应为数字，最后一位为数字或X，请核对。"),
        ("4201021990010X1234", "身份证号码的前17位应为数字，最后一位为数字或X，请核对。"),
    ],
)
def test_malformed_id_numbers_are_explained(value, problem):
    assert id_number_problem(value) == problem


valid_ids = st.builds(
    make_id,
    region=st.builds(
        lambda province, rest: f"{province}{rest:04d}",
        st.sampled_from(PROVINCES),
        st.integers(0, 9999),
    ),
    birth=st.dates(date(1900, 1, 1), date(2024, 12, 31)).map(lambda d: d.strftime("%Y%m%d")),
    sequence=st.integers(0, 999).map(lambda n: f"{n:03d}"),
)


@given(number=valid_ids, position=st.integers(0, 16), shift=st.integers(1, 9))
def test_any_single_digit_change_fails_the_check_digit(number, position, shift):
    assert id_number_problem(number, today=date(2025, 1, 1)) is None
    changed = str((int(number[position]) + shift) % 10)
    typo = number[:position] + changed + number[position + 1 :]
    assert "校验位不正确" in id_number_problem(typo, today=date(2025, 1, 1))


@pytest.mark.parametrize(
    ("value", "normalized"),
    [
        ("13812345678", "13812345678"),
        ("19912345678", "19912345678"),
        ("+8613812345678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("86-138-1234-5678", "13812345678"),
        ("0086 13812345678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        ("010-12345678", "010-12345678"),
        ("01012345678", "010-12345678"),
        ("0755-1234567", "0755-1234567"),
        ("07551234567", "0755-1234567"),
        ("(0755) 8765 4321", "0755-87654321"),
        ("（０２１）１２３４５６７８", "021-12345678"),
        ("021-12345678-801", "021-12345678转801"),
        ("021-12345678转801", "021-12345678转801"),
        ("021-12345678 ext. 801", "021-12345678转801"),
    ],
)
def test_mobile_and_landline_numbers_are_accepted(value, normalized):
    assert phone_problem(value) is None
    assert normalize_phone(value) == normalized


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("", "请填写联系电话。"),
        ("1381234567", "手机号码应为11位，现在是10位，请核对。"),
        ("+86 138 1234 56789", "手机号码应为11位，现在是12位，请核对。"),
        ("12812345678", "手机号码 12812345678 的号段不存在，手机号码应以13至19开头，请核对。"),
    ],
)
def test_bad_mobile_numbers_are_explained(value, problem):
    assert phone_problem(value) == problem


@pytest.mark.parametrize(
    "value",
    ["010-123456", "0755-123456789", "8765-4321", "+87 13812345678", "电话"],
)
def test_bad_landlines_and_other_text_are_rejected(value):
    assert phone_problem(value).startswith("电话号码格式不正确：手机号码为11位数字")


def test_id_number_is_masked_as_in_the_design():
    assert mask_id_number("42010219900101123X") == "420102********123X"
    assert mask_id_number("11010519491231002x") == "110105********002X"


def test_phones_are_masked_as_in_the_design():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("+86 138-1234-5678") == "138****5678"
    assert mask_phone("010-12345678") == "010-******78"
    assert mask_phone("0755-1234567转8") == "0755-*****67"


def test_unrecognised_phone_is_masked_but_its_last_two_characters():
    assert mask_phone("12345") == "***45"


@pytest.mark.parametrize("empty", ["", None])
def test_masking_nothing_gives_nothing(empty):
    assert mask_id_number(empty) == ""
    assert mask_phone(empty) == ""
