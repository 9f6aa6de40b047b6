"""Issued files in the database, once each, named by their SHA-256 (DESIGN §4)."""

import hashlib

from mediation.extensions import db
from mediation.models import StoredFile


def store_file(data: bytes, media_type: str = "application/pdf") -> StoredFile:
    """Keep `data` (in the caller's transaction) unless the same bytes are kept already."""
    digest = hashlib.sha256(data).hexdigest()
    stored = db.session.get(StoredFile, digest)
    if stored is None:
        stored = StoredFile(sha256=digest, media_type=media_type, size=len(data), data=data)
        db.session.add(stored)
    return stored


def file_bytes(sha256: str) -> bytes | None:
    """The bytes kept under `sha256`, or None."""
    stored = db.session.get(StoredFile, sha256)
    return stored.data if stored is not None else None
