"""The seal as a PAdES signature (pyHanko): the visible seal is drawn in the HTML already."""

from io import BytesIO

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers

from documents.running import run_to_completion


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
    run_to_completion(signers.PdfSigner(meta, signer=signer).async_sign_pdf(writer, output=out))
    return out.getvalue()
