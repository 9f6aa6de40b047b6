"""The app's side of the documents: the renderer and keys it configures, the files it keeps.

`documents/` renders, seals and verifies without knowing Flask; this package gives it the
app's templates, static files and key folder (`init_app`), stores the issued bytes in the
database (`store`), builds each document's data from a case (`build`), and serves the
downloads and the public verification pages (`views`).
"""

import logging
from pathlib import Path

from flask import Flask, current_app

from config import instance_passphrase
from documents import DocumentRenderer, KeyStore, harfbuzz_subset_available, seal_pdf

log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates" / "documents"
STATIC = ROOT / "mediation" / "static"
DEFAULT_PUBLIC_URL = "http://127.0.0.1:5000"


def init_app(app: Flask) -> None:
    """One renderer and one key store per app; warn when Chinese pages will render slowly."""
    app.extensions["documents.renderer"] = DocumentRenderer(TEMPLATES, [STATIC])
    if app.config["PUBLIC_URL"] == DEFAULT_PUBLIC_URL and not (app.debug or app.testing):
        log.warning(
            "PUBLIC_URL is not set: the QR code of every document sealed now will lead to "
            "%s/verify/…, for good. Set PUBLIC_URL to the address the public reaches.",
            DEFAULT_PUBLIC_URL,
        )
    if not harfbuzz_subset_available():
        log.warning(
            "libharfbuzz-subset0 is missing: each Chinese PDF will take seconds instead of "
            "~0.1 s. Install it: sudo apt-get install -y libharfbuzz-subset0"
        )


def renderer() -> DocumentRenderer:
    """The app's document renderer (templates/documents, static files only)."""
    return current_app.extensions["documents.renderer"]


def keys() -> KeyStore:
    """The app's key store (KEYS_DIR), opened on first use with KEYS_PASSPHRASE."""
    store = current_app.extensions.get("documents.keys")
    if store is None:
        config = current_app.config
        passphrase = config.get("KEYS_PASSPHRASE") or instance_passphrase(
            Path(current_app.instance_path)
        )
        store = KeyStore(Path(config["KEYS_DIR"]), passphrase.encode())
        current_app.extensions["documents.keys"] = store
    return store


def verify_url(public_id: str) -> str:
    """The address printed in a document's QR code."""
    return f"{current_app.config['PUBLIC_URL'].rstrip('/')}/verify/{public_id}"


def seal(pdf: bytes, signer, *, reason: str) -> bytes:
    """documents.seal_pdf, here so that a test can make sealing fail in one place."""
    return seal_pdf(pdf, signer, reason=reason, location="中华人民共和国")
