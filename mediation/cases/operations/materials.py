"""The files handed in with an application for judicial confirmation, checked before any is kept.

The type is read from the content (a PDF, JPEG or PNG signature), never from the name or the
browser's word; the name is kept for display only and must be a bare file name. Every file is
checked before anything is stored, so a refused application leaves nothing behind.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from flask import current_app

from mediation.errors import InvalidInput
from workflows import MATERIAL_KINDS

# (leading bytes, media type): what each accepted type starts with.
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
NAME_LIMIT = 120
KIND_LABELS = dict(MATERIAL_KINDS)


@dataclass(frozen=True)
class MaterialUpload:
    """One file as the user sent it: its checklist item, its name and its bytes."""

    kind: str
    filename: str
    data: bytes


@dataclass(frozen=True)
class CheckedMaterial:
    """A file that passed every check, with the type read from its content."""

    kind: str
    filename: str
    data: bytes
    media_type: str


def material_limit_bytes() -> int:
    """The largest file accepted (MATERIAL_MAX_MB)."""
    return int(current_app.config["MATERIAL_MAX_MB"] * 2**20)


def upload_body_limit() -> int:
    """The largest request body an application with files may have: every file at its limit,
    plus room for the form fields. Views set it as `request.max_content_length`."""
    return material_limit_bytes() * current_app.config["MATERIAL_MAX_FILES"] + 2**20


def media_type_of(data: bytes) -> str | None:
    """application/pdf, image/jpeg or image/png from the leading bytes; None otherwise."""
    return next((kind for magic, kind in SIGNATURES if data.startswith(magic)), None)


def _unprintable(c: str) -> bool:
    """Control characters and lone surrogates."""
    return ord(c) < 32 or ord(c) == 127 or 0xD800 <= ord(c) <= 0xDFFF


def _shown(name: str) -> str:
    """A file name fit to repeat in a message: shortened, unprintable characters as '?'."""
    return "".join("?" if _unprintable(c) else c for c in name[:NAME_LIMIT])


def _name_problem(name: str) -> str | None:
    """Why a file name cannot be kept, or None."""
    if not name.strip():
        return "文件没有名称"
    if len(name) > NAME_LIMIT:
        return f"文件名超过{NAME_LIMIT}个字符，请改短后重新选择"
    if "/" in name or "\\" in name or name.strip() in (".", ".."):
        return "文件名不能包含路径，请只选择文件本身"
    if any(_unprintable(c) for c in name):
        return "文件名含有不可显示的字符，请改名后重新选择"
    return None


def _problem(upload: MaterialUpload, limit: int) -> str | None:
    """Why one upload is refused, or None."""
    if upload.kind not in KIND_LABELS:
        return "材料类别无效，请从清单中选择"
    if problem := _name_problem(upload.filename):
        return problem
    if not upload.data:
        return "文件是空的"
    if len(upload.data) > limit:
        return f"文件超过{limit / 2**20:g}MB的上限，请压缩或分成几个文件"
    if media_type_of(upload.data) is None:
        return "只接受PDF、JPEG或PNG文件（按文件内容判断，改扩展名无效）"
    return None


def checked_materials(uploads: Sequence[MaterialUpload]) -> list[CheckedMaterial]:
    """Every upload checked; all problems named at once.

    :raise InvalidInput (400): too many files (under `materials`), or any file refused (each
        under `materials.<i>`, the i-th upload, naming the file and what to do about it).
    """
    most = current_app.config["MATERIAL_MAX_FILES"]
    if len(uploads) > most:
        message = f"一次最多提交{most}个材料文件，本次有{len(uploads)}个。"
        raise InvalidInput(message, {"materials": message})
    limit = material_limit_bytes()
    problems = {}
    for index, upload in enumerate(uploads):
        if problem := _problem(upload, limit):
            label = KIND_LABELS.get(upload.kind, "材料")
            problems[f"materials.{index}"] = f"{label}“{_shown(upload.filename)}”：{problem}。"
    if problems:
        raise InvalidInput(" ".join(problems.values()), problems)
    return [
        CheckedMaterial(u.kind, u.filename.strip(), u.data, media_type_of(u.data)) for u in uploads
    ]
