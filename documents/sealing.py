"""The seal as a PAdES signature (pyHanko): the visible seal is drawn in the HTML already."""

import weakref
from io import BytesIO

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers

from documents.running import run_to_completion

# The room each signer's seal takes in a file, as pyHanko reserved it for its first seal:
# found by a trial signature it throws away, which took half of every seal's time (its
# signing key and certificates do not change, so neither does the room they need).
_RESERVED: "weakref.WeakKeyDictionary[signers.Signer, int]" = weakref.WeakKeyDictionary()


def seal_pdf(pdf: bytes, signer: signers.Signer, *, reason: str, location: str = "") -> bytes:
    """`pdf` signed by `signer` as PAdES (ETSI.CAdES.detached, SHA-256), an invisible field.

    The signature covers the whole file; any later change to the bytes shows in validation.
    """
    writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    meta = signers.PdfSignatureMetadata(
        field_name="Seal",
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location or None,
    )
    out = BytesIO()
    reserved = _RESERVED.get(signer)
    signing = signers.PdfSigner(meta, signer=signer)
    run_to_completion(signing.async_sign_pdf(writer, output=out, bytes_reserved=reserved))
    sealed = out.getvalue()
    if reserved is None:
        _RESERVED[signer] = reserved_room(sealed)
    return sealed


def reserved_room(sealed: bytes) -> int:
    """How many hexadecimal digits the newest signature of `sealed` had room for: the gap
    its byte range leaves, less the two angle brackets around the digits."""
    signature = PdfFileReader(BytesIO(sealed), strict=False).embedded_signatures[-1]
    _start, before, after, _length = signature.sig_object["/ByteRange"]
    return after - before - 2
