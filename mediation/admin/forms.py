"""Forms to create and edit users."""

from functools import partial

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from mediation.auth.forms import strong_password
from mediation.i18n import choices_of
from workflows.states import ROLES


class UserForm(FlaskForm):
    """A user's name, role and unit; the password is required only when creating."""

    username = StringField(
        _l("用户名"),
        validators=[
            DataRequired(_l("请输入用户名。")),
            Length(min=3, max=64, message=_l("用户名长度须为 3 至 64 个字符。")),
            Regexp(
                r"^[A-Za-z0-9_.-]+$", message=_l("用户名只能包含字母、数字、点、下划线和连字符。")
            ),
        ],
    )
    display_name = StringField(
        _l("姓名"),
        validators=[DataRequired(_l("请输入姓名。")), Length(max=80, message=_l("姓名过长。"))],
    )
    role = SelectField(
        _l("角色"), choices=partial(choices_of, "roles", ROLES), validators=[DataRequired()]
    )
    unit = SelectField(_l("所属单位"), validators=[DataRequired(_l("请选择所属单位。"))])
    password = PasswordField(
        _l("初始密码"),
        validators=[
            Optional(),
            Length(min=8, max=128, message=_l("密码长度须为 8 至 128 个字符。")),
            strong_password,
        ],
    )
    active = BooleanField(_l("启用"), default=True)
    submit = SubmitField(_l("保存"))


class GridForm(FlaskForm):
    """A new grid: its community, name and (optionally) code; mediation.admin.regions checks
    them."""

    parent = SelectField(_l("所在社区"), validate_choice=False)
    name = StringField(_l("网格名称"))
    code = StringField(_l("网格编码（留空则自动编号）"))
    submit = SubmitField(_l("添加网格"))


class CommitteeForm(FlaskForm):
    """A new committee: its street or community, names and (optionally) code."""

    region = SelectField(_l("所在街道或社区"), validate_choice=False)
    name = StringField(_l("调委会名称"))
    short_name = StringField(_l("简称（用于案号）"))
    code = StringField(_l("调委会编码（留空则自动编号）"))
    submit = SubmitField(_l("添加调委会"))


class RegionNameForm(FlaskForm):
    """A region's new name."""

    name = StringField(_l("名称"))
    submit = SubmitField(_l("保存"))


class CommitteeNameForm(FlaskForm):
    """A committee's new name and short name."""

    name = StringField(_l("调委会名称"))
    short_name = StringField(_l("简称（用于案号）"))
    submit = SubmitField(_l("保存"))
