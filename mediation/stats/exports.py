"""The monthly report to take away: PDF, XLSX and CSV, and the names the files go by.

Each export takes the dict of `mediation.stats.report.monthly_report` and returns bytes; the
PDF needs an app context (it is rendered by the app's document renderer). The work is done in
`exports_pdf` (the PDF) and `exports_sheet` (the workbook and the CSV, the same tables).
"""

import re
from io import BytesIO
from pathlib import Path

from flask import send_file

from mediation.stats.exports_pdf import pdf_bytes
from mediation.stats.exports_sheet import csv_bytes, xlsx_bytes

__all__ = [
    "FORMATS",
    "csv_bytes",
    "download_name",
    "pdf_bytes",
    "send_report",
    "write_report_files",
    "xlsx_bytes",
]

# Each file: the function that writes it and the media type it is sent with.
FORMATS = {
    "pdf": (pdf_bytes, "application/pdf"),
    "xlsx": (xlsx_bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "csv": (csv_bytes, "text/csv"),  # Flask adds "; charset=utf-8"
}
# Characters no file system or browser download keeps as they are.
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f\s]+')


def download_name(report: dict, ext: str) -> str:
    """调解月报-2026-11-江岸区-期间口径.pdf (Chinese: send it RFC 5987 encoded)."""
    region = _UNSAFE.sub("_", report["region"]["name"]).strip("._") or report["region"]["code"]
    return f"调解月报-{report['month']}-{region}-{report['view_label']}.{ext}"


def write_report_files(report: dict, out_dir) -> list[Path]:
    """Write the PDF, the XLSX and the CSV into `out_dir` (made if missing); their paths."""
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for ext, (write, _media_type) in FORMATS.items():
        path = folder / download_name(report, ext)
        path.write_bytes(write(report))
        paths.append(path)
    return paths


def send_report(report: dict, ext: str):
    """The report as a file to save (an attachment named by download_name)."""
    write, media_type = FORMATS[ext]
    return send_file(
        BytesIO(write(report)),
        mimetype=media_type,
        as_attachment=True,
        download_name=download_name(report, ext),
    )
