"""Copies of sealed PDFs for the verification tests: the original, one byte changed, and one
sealed under another CA."""

from io import BytesIO

from pypdf import PdfReader, PdfWriter
from pypdf.generic import IndirectObject

import documents
from mediation.papers.store import file_bytes


def original(case) -> bytes:
    """The sealed original of the case's agreement, as stored."""
    return file_bytes(case.agreement.sealed_document.sha256)


def changed_byte(pdf: bytes) -> bytes:
    """The PDF with one byte changed inside its first page's content stream."""
    contents = PdfReader(BytesIO(pdf)).pages[0].raw_get("/Contents")
    if not isinstance(contents, IndirectObject):
        contents = contents[0]
    start = pdf.index(b"\n%d 0 obj" % contents.idnum)
    position = pdf.index(b"stream", start) + 20
    return pdf[:position] + bytes([pdf[position] ^ 0x01]) + pdf[position + 1 :]


def foreign_pdf(folder) -> bytes:
    """A one-page PDF sealed as PAdES by a committee of another CA (a key folder of its own)."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    blank = BytesIO()
    writer.write(blank)
    store = documents.KeyStore(folder, b"another-ca")
    signer = store.signer("committee", "elsewhere", "别处人民调解委员会")
    return documents.seal_pdf(blank.getvalue(), signer, reason="别处盖章")
