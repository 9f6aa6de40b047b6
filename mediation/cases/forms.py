"""Forms of the case pages: intake, sessions, visits, signatures, assignment.

The operations check every value and say in Chinese what to fix, so these forms carry no
validators of their own: they render the fields, keep what the user typed, turn a post into
the plain dict an operation expects, and put the operation's messages next to the fields.
Labels are translated when a form is built (choices passed as functions run then).
"""

import json
from collections import defaultdict
from datetime import datetime
from functools import partial

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.widgets import CheckboxInput, ListWidget, Select

from mediation.access.policy import MEDIATOR_ROLES
from mediation.access.scoping import region_clause, region_tree
from mediation.cases.cleaning import MAX_PARTIES, MIN_PARTIES
from mediation.extensions import db
from mediation.i18n import choices_of, label_of
from mediation.inputs import whole_number
from mediation.models import (
    Agreement,
    Case,
    Committee,
    Party,
    Region,
    User,
)
from workflows.deadlines import CHINA_TZ

PICK = ("", _l("请选择"))
NO_EXCLUDED_MATTER = "none"
PARTY_TEXT = (
    "name",
    "ethnicity",
    "id_number",
    "birth_date",
    "phone",
    "address",
    "occupation",
    "legal_representative",
    "agent",
)


class PageForm(FlaskForm):
    """A form bound only to the data it is given: several live on one page, one was sent."""

    def __init__(self, formdata=None, **kwargs):
        super().__init__(formdata=formdata, **kwargs)
        self.sent = formdata is not None

    def prepare(self, case: Case) -> None:
        """Fill in choices that depend on the case (none by default)."""


class MultiCheckboxField(SelectMultipleField):
    """Several choices, shown as a row of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RowList(FieldList):
    """A FieldList whose row numbers are ASCII digits.

    WTForms reads a row number with str.isdigit() and int(), so a post naming a field
    "parties-²-name" would raise (and "parties-١-name" would be row 1); such keys are ignored.
    """

    def _extract_indices(self, prefix, formdata):
        """The row numbers in the keys that start with prefix."""
        offset = len(prefix) + 1
        for key in formdata:
            if key.startswith(prefix):
                index = whole_number(key[offset:].split(self._field_separator, 1)[0])
                if index is not None:
                    yield index


class GroupedSelect(Select):
    """A select of option groups, opened by a 请选择 option that belongs to no group."""

    def __call__(self, field, **kwargs):
        html = str(super().__call__(field, **kwargs))
        selected = "" if field.data else " selected"
        # Attribute values are escaped, so the first ">" closes the <select> tag.
        return Markup(html.replace(">", f'><option value=""{selected}>{PICK[1]}</option>', 1))


def picked(kind: str, pairs=None) -> list[tuple[str, str]]:
    """A code list as choices after an empty 请选择 option."""
    return [PICK, *choices_of(kind, pairs)]


def state_choices() -> list[tuple[str, str]]:
    """Every state, after 全部状态, for the list filter."""
    return [("", _("全部状态")), *choices_of("states")]


def sort_choices() -> list[tuple[str, str]]:
    """The orders of the case list (queries.SORTS), the default first, in words."""
    return [
        ("received", _("受理时间，最新在前")),
        ("deadline", _("期限，最近在前")),
        ("number", _("案号，按顺序")),
    ]


def party_label(party: Party) -> str:
    """A party by role and name: 申请人张三."""
    return _("%(role)s%(name)s", role=label_of("party_roles", party.role), name=party.name)


def signer_labels(agreement: Agreement) -> dict[str, str]:
    """Who must sign the agreement, labelled for the page: signer code → label."""
    labels = {f"party:{p.id}": party_label(p) for p in agreement.case.parties}
    labels["mediator"] = _("调解员")
    return labels


def show_errors(form, fields: dict[str, str]) -> list[str]:
    """Put an operation's field messages on the form's fields; return those that fit none."""
    unplaced = []
    for key, message in fields.items():
        if key in form._fields:
            form[key].errors = [message]
        else:
            unplaced.append(message)
    return unplaced


def local_now() -> str:
    """The current minute in China, as a datetime-local input wants it."""
    return datetime.now(CHINA_TZ).strftime("%Y-%m-%dT%H:%M")


# ---------------------------------------------------------------------------- choices


def path_codes(region: Region) -> list[str]:
    """The codes of a region and every region above it."""
    return [code for code in region.path.split("/") if code]


def mediator_choices(case: Case) -> list[tuple[str, str]]:
    """Active mediators and street officers whose jurisdiction holds the case's grid."""
    above = sa.select(Region.id).where(Region.code.in_(path_codes(case.grid)))
    users = db.session.scalars(
        sa.select(User)
        .outerjoin(Committee, User.committee_id == Committee.id)
        .where(
            User.active.is_(True),
            User.role.in_(MEDIATOR_ROLES),
            sa.or_(
                Committee.region_id.in_(above),
                sa.and_(User.committee_id.is_(None), User.region_id.in_(above)),
            ),
        )
        .options(so.joinedload(User.committee), so.joinedload(User.region))
        .order_by(User.role, User.username)
    ).all()
    return [
        (
            u.username,
            _(
                "%(name)s（%(role)s · %(unit)s）",
                name=u.display_name,
                role=label_of("roles", u.role),
                unit=u.unit_name,
            ),
        )
        for u in users
    ]


def grid_choices(user: User) -> dict[str, list[tuple[str, str]]]:
    """The grids of the user's jurisdiction, grouped by street and community."""
    grids = db.session.scalars(
        sa.select(Region)
        .where(region_clause(user), Region.level == "grid")
        .options(so.joinedload(Region.parent).joinedload(Region.parent))
        .order_by(Region.path)
    ).all()
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for grid in grids:
        community = grid.parent
        street = community.parent if community else None
        group = " · ".join(r.name for r in (street, community) if r is not None)
        groups[group].append((grid.code, grid.name))
    return dict(groups)


def region_choices(
    user: User, *, depth: int | None = None, near: str | None = None
) -> list[tuple[str, str]]:
    """The visible region tree as one indented list, for the list filter.

    depth: only the regions at most this many levels below the top of the jurisdiction, and
    those on the way to the region whose code is `near` with its children (a city's picker
    then lists its districts and streets, not its thousands of grids).
    """
    choices = [("", _("全部辖区"))]
    tree = region_tree(user, depth=depth, near=near)
    way = set(_way_to(tree, near)) if near else set()

    def walk(nodes: list[dict], level: int, parent_on_way: bool) -> None:
        for node in nodes:
            on_way = node["code"] in way
            if depth is None or level <= depth or on_way or parent_on_way:
                choices.append((node["code"], "\u3000" * level + node["name"]))
            if depth is None or level < depth or on_way:
                walk(node["children"], level + 1, on_way)

    walk(tree, 0, False)
    return choices


def _way_to(nodes: list[dict], code: str) -> list[str]:
    """The codes from the top of the tree down to the region `code` ([] if it is not there)."""
    for node in nodes:
        if node["code"] == code:
            return [code]
        below = _way_to(node["children"], code)
        if below:
            return [node["code"], *below]
    return []


# ---------------------------------------------------------------------------- intake


class PartyForm(Form):
    """One party row of the intake form."""

    role = SelectField(_l("当事人类型"), choices=partial(choices_of, "party_roles"))
    kind = SelectField(_l("主体类型"), choices=partial(choices_of, "party_kinds"))
    name = StringField(_l("姓名或名称"))
    sex = SelectField(_l("性别"), choices=lambda: [("", "—"), *choices_of("sexes")])
    ethnicity = StringField(_l("民族"), render_kw={"placeholder": _l("如：汉族")})
    id_number = StringField(_l("身份证号码"), render_kw={"autocomplete": "off", "maxlength": 32})
    birth_date = StringField(_l("出生日期"), render_kw={"type": "date"})
    phone = StringField(_l("联系电话"), render_kw={"inputmode": "tel", "autocomplete": "off"})
    address = StringField(_l("住址"))
    occupation = StringField(_l("职业"))
    legal_representative = StringField(_l("法定代表人"))
    agent = StringField(_l("代理人"))
    refuses_mediation = BooleanField(_l("明确拒绝调解"))

    def is_blank(self) -> bool:
        """True when the row was left empty (an unused row on a page without JavaScript)."""
        return not self.refuses_mediation.data and not any(
            (self[key].data or "").strip() for key in PARTY_TEXT
        )

    def payload(self) -> dict:
        """The party as create_case takes it."""
        data = {key: self[key].data or "" for key in ("role", "kind", "sex", *PARTY_TEXT)}
        data["refuses_mediation"] = bool(self.refuses_mediation.data)
        return data


class IntakeForm(PageForm):
    """受理登记: the dispute and its parties (the first two rows, an applicant and a
    respondent, are the minimum: the page offers no button to remove them)."""

    title = StringField(_l("纠纷标题"), render_kw={"maxlength": 200})
    category = SelectField(_l("纠纷类型"), choices=partial(picked, "categories"))
    source = SelectField(_l("案件来源"), choices=partial(picked, "sources"))
    grid = SelectField(_l("所在网格"), choices={}, widget=GroupedSelect())
    amount = StringField(_l("涉及金额（元）"), render_kw={"inputmode": "decimal"})
    description = TextAreaField(_l("纠纷简要情况"), render_kw={"rows": 4})
    parties = RowList(FormField(PartyForm), min_entries=MIN_PARTIES, max_entries=MAX_PARTIES + 1)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.grid.choices = grid_choices(user)
        self.party_rows: list = []
        self.party_problems: list[str] = []
        if not self.sent:
            self.parties[0].form.role.data = "applicant"
            self.parties[1].form.role.data = "respondent"

    def payload(self) -> dict:
        """The dispute as create_case takes it; empty party rows are left out."""
        self.party_rows = [entry for entry in self.parties if not entry.form.is_blank()]
        return {
            "title": self.title.data,
            "category": self.category.data,
            "source": self.source.data,
            "grid": self.grid.data,
            "amount": self.amount.data,
            "description": self.description.data,
            "parties": [entry.form.payload() for entry in self.party_rows],
        }

    def show_errors(self, fields: dict[str, str]) -> list[str]:
        """Place messages; parties.<i>.<field> refers to the i-th row that was sent."""
        unplaced = []
        for key, message in fields.items():
            head, _, rest = key.partition(".")
            index, _, name = rest.partition(".")
            row_number = whole_number(index)
            if head == "parties" and row_number is not None and row_number < len(self.party_rows):
                row = self.party_rows[row_number].form
                if name in row._fields:
                    row[name].errors = [message]
                    continue
            if head == "parties":
                self.party_problems.append(message)
            elif key in self._fields:
                self[key].errors = [message]
            else:
                unplaced.append(message)
        return unplaced


def blank_party_row() -> PartyForm:
    """The party row the page's JavaScript copies; __index__ is replaced by the next number."""
    return PartyForm(prefix="parties-__index__-")


# ---------------------------------------------------------------------------- records


class SessionForm(PageForm):
    """调解记录: who was there is picked from the case's parties and the mediators who work
    where the case is; only anyone else is typed."""

    held_at = StringField(_l("调解时间"), render_kw={"type": "datetime-local"})
    location = StringField(_l("调解地点"))
    mediator_users = MultiCheckboxField(_l("调解员"))
    mediators = StringField(
        _l("其他调解人员"), render_kw={"placeholder": _l("如：邀请参加调解的人员")}
    )
    attendee_parties = MultiCheckboxField(_l("到场的当事人"))
    attendees = StringField(
        _l("其他参加人"), render_kw={"placeholder": _l("如：代理人、亲属、证人，用顿号分开")}
    )
    summary = TextAreaField(_l("各方陈述及调解经过"), render_kw={"rows": 6})
    outcome = SelectField(_l("调解结果"), choices=partial(picked, "session_outcomes"))
    template = "cases/session_form.html"

    def prepare(self, case: Case) -> None:
        """Offer the case's parties and the mediators who work where the case is."""
        self.attendee_parties.choices = [(str(p.id), party_label(p)) for p in case.parties]
        self.mediator_users.choices = mediator_choices(case)

    def prefill(self, user: User) -> None:
        """Now, every party, and the user as the mediator (typed, if she is not one)."""
        self.held_at.data = local_now()
        self.attendee_parties.data = [code for code, _label in self.attendee_parties.choices]
        if user.username in dict(self.mediator_users.choices):
            self.mediator_users.data = [user.username]
        else:
            self.mediators.data = user.display_name

    def payload(self) -> dict:
        """The session as record_session takes it."""
        return {name: self[name].data for name in self._fields if name != "csrf_token"}


class VisitForm(PageForm):
    """回访记录."""

    visited_at = StringField(_l("回访时间"), render_kw={"type": "datetime-local"})
    performed = RadioField(
        _l("协议履行情况"), choices=[("yes", _l("已履行")), ("no", _l("未履行"))]
    )
    satisfaction = SelectField(_l("满意程度"), choices=partial(picked, "satisfaction"))
    remaining_risk = TextAreaField(_l("遗留风险"), render_kw={"rows": 2})
    notes = TextAreaField(_l("回访情况"), render_kw={"rows": 4})
    template = "cases/visit_form.html"

    def prefill(self, user: User) -> None:
        """Now."""
        self.visited_at.data = local_now()

    def payload(self) -> dict:
        """The visit as record_visit takes it (performed as true or false)."""
        return {
            "visited_at": self.visited_at.data,
            "performed": {"yes": True, "no": False}.get(self.performed.data),
            "satisfaction": self.satisfaction.data,
            "remaining_risk": self.remaining_risk.data,
            "notes": self.notes.data,
        }


class SignatureForm(PageForm):
    """One signature on the drafted agreement: drawn on the screen or a typed name."""

    signer = SelectField(_l("签名人"))
    method = RadioField(
        _l("签名方式"), choices=partial(choices_of, "signature_methods"), default="typed"
    )
    typed_name = StringField(_l("签名姓名"))
    image = HiddenField(_l("手写签名"))

    def prepare(self, case: Case) -> None:
        """Offer the signers who have not signed yet, with the first one's name typed in.

        `signer_names` (JSON: signer code → name) lets the page's script type the name of
        whoever is chosen instead.
        """
        agreement = case.agreement
        signed = {s.signer for s in agreement.signatures if s.voided_at is None}
        self.signer.choices = [
            (code, label) for code, label in signer_labels(agreement).items() if code not in signed
        ]
        names = {f"party:{p.id}": p.name for p in case.parties}
        names["mediator"] = case.mediator.display_name if case.mediator else ""
        names = {code: names.get(code, "") for code, _label in self.signer.choices}
        self.signer_names = json.dumps(names, ensure_ascii=False)
        if not self.sent and self.signer.choices:
            self.typed_name.data = names[self.signer.choices[0][0]]

    def payload(self) -> dict:
        """The signature as sign_agreement takes it."""
        return {
            "signer": self.signer.data,
            "method": self.method.data,
            "typed_name": self.typed_name.data,
            "image": self.image.data or None,
        }


class SealForm(PageForm):
    """The committee's seal: the user enters her password again (a fresh sign-in)."""

    password = PasswordField(_l("您的登录密码"), render_kw={"autocomplete": "current-password"})


class AssignForm(PageForm):
    """Give the case to another mediator of the area."""

    mediator = SelectField(_l("改派调解员"))

    def prepare(self, case: Case) -> None:
        """Offer the mediators who work where the case is."""
        self.mediator.choices = mediator_choices(case)
        if not self.sent and case.mediator:
            self.mediator.data = case.mediator.username


# ---------------------------------------------------------------------------- triggers
