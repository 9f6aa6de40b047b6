"""Documents of 调解通: HTML templates to PDF (WeasyPrint), the PAdES seal (pyHanko), checks.

Plain Python, no Flask: `mediation/` gathers the data, calls these and stores what they
return. Modules: `render` (HTML and PDF, with a URL fetcher that reaches only the app's own
files), `numerals` (amounts in 大写), `pictures` (the seal and the QR code), `keys`
(the local CA and one signing key per committee and court), `sealing` (the PAdES
signature) and `verification` (is this copy ours, and intact?).
"""

from documents import _warnings  # noqa: F401  (before pyHanko is imported)
from documents.keys import KeysError, KeyStore
from documents.numerals import capital_yuan
from documents.pictures import qr_image, seal_svg
from documents.render import DocumentRenderer, URLRefused, harfbuzz_subset_available
from documents.sealing import seal_pdf
from documents.verification import Verdict, verify_pdf

__all__ = [
    "DocumentRenderer",
    "KeyStore",
    "KeysError",
    "URLRefused",
    "Verdict",
    "capital_yuan",
    "harfbuzz_subset_available",
    "qr_image",
    "seal_pdf",
    "seal_svg",
    "verify_pdf",
]
