"""Plausible people for demo data and benchmarks: names, valid ID numbers, mobile numbers."""

import random
from datetime import date, timedelta

from mediation.privacy import id_check_char

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红梅建国志强文斌海燕晓东春林"
AREA_CODES = ("420102", "420106", "420103", "420111", "420115")


def fake_name(rng: random.Random) -> str:
    """A two- or three-character Chinese name."""
    given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
    return rng.choice(SURNAMES) + given


def fake_id_number(rng: random.Random, sex: str) -> str:
    """A GB 11643 ID number with a real birth date, the right sex digit and check digit."""
    born = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 55))
    order = rng.randrange(0, 99)
    sex_digit = rng.choice("13579" if sex == "male" else "02468")
    first17 = f"{rng.choice(AREA_CODES)}{born:%Y%m%d}{order:02d}{sex_digit}"
    return first17 + id_check_char(first17)


def fake_phone(rng: random.Random) -> str:
    """A mainland mobile number."""
    return f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"
