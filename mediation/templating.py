"""Filters and globals every template may use: China's clock, yuan, masking, file sizes."""

from flask import session
from flask_babel import gettext as _
from flask_login import current_user

from mediation.privacy import mask_id_number, mask_phone
from workflows.deadlines import CHINA_TZ


def china_time(moment, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored UTC moment on China's clock."""
    return moment.astimezone(CHINA_TZ).strftime(fmt) if moment else ""


def yuan(amount) -> str:
    """An amount in yuan: 3,500.00 元."""
    return "" if amount is None else _("%(amount)s 元", amount=f"{amount:,.2f}")


def large_text_on() -> bool:
    """Whether the page is in 大字模式: the user's choice, or this browser's when anonymous."""
    if current_user.is_authenticated:
        return current_user.large_text
    return bool(session.get("large_text"))


def file_size(size: int | None) -> str:
    """A file's size for people: 820 KB, 1.4 MB."""
    if size is None:
        return ""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def init_app(app) -> None:
    """Register the filters and globals."""
    app.add_template_filter(china_time, "china_time")
    app.add_template_filter(yuan, "yuan")
    app.add_template_filter(mask_id_number, "mask_id")
    app.add_template_filter(mask_phone, "mask_phone")
    app.add_template_filter(file_size, "file_size")
    app.add_template_global(large_text_on, "large_text_on")
