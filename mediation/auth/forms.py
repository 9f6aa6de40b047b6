"""Forms for signing in and changing one's password."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError


def strong_password(form, field) -> None:
    """At least 8 characters with letters and digits."""
    value = field.data or ""
    if not (any(c.isalpha() for c in value) and any(c.isdigit() for c in value)):
        raise ValidationError(_l("密码须同时包含字母和数字。"))


class LoginForm(FlaskForm):
    """Username and password."""

    username = StringField(_l("用户名"), validators=[DataRequired(_l("请输入用户名。"))])
    password = PasswordField(_l("密码"), validators=[DataRequired(_l("请输入密码。"))])
    submit = SubmitField(_l("登录"))


class ChangePasswordForm(FlaskForm):
    """The current password, and the new one twice."""

    current = PasswordField(_l("当前密码"), validators=[DataRequired(_l("请输入当前密码。"))])
    new = PasswordField(
        _l("新密码"),
        validators=[
            DataRequired(_l("请输入新密码。")),
            Length(min=8, max=128, message=_l("新密码长度须为 8 至 128 个字符。")),
            strong_password,
        ],
    )
    confirm = PasswordField(
        _l("再次输入新密码"),
        validators=[EqualTo("new", message=_l("两次输入的新密码不一致。"))],
    )
    submit = SubmitField(_l("修改密码"))
