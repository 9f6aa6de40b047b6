"""The one-page stand-in that conftest renders instead of each PDF outside the tests marked
`documents` (see conftest's _quick_pdfs)."""

import re
from html import unescape
from io import BytesIO

from pypdf import PdfWriter

STAND_IN_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
STAND_IN_KEYWORDS = re.compile(r'<meta name="keywords" content="([^"]*)"')


def stand_in_pdf(html: str) -> bytes:
    """A blank A4 page carrying the HTML's title and keywords as the PDF's metadata."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    metadata = {}
    for key, pattern in (("/Title", STAND_IN_TITLE), ("/Keywords", STAND_IN_KEYWORDS)):
        match = pattern.search(html)
        if match:
            metadata[key] = unescape(match.group(1))
    writer.add_metadata(metadata)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()
