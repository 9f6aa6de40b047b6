"""HTML templates to PDF with WeasyPrint, reaching only the app's own files.

`DocumentRenderer.html()` fills a template of `templates/documents/` (autoescaped: user text
can never become markup) and `pdf()` turns HTML into PDF bytes. The URL fetcher serves
`data:` URLs (the pictures passed in) and files under the allowed folders (static files,
fonts); anything else, http(s) and `file://` outside those folders included, is refused.
"""

import ctypes.util
import threading
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import jinja2
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from documents.numerals import capital_yuan


class URLRefused(ValueError):
    """A document asked for a resource outside the app's own files."""


class SafeFetcher(URLFetcher):
    """WeasyPrint's fetcher, limited to data: URLs and files inside `roots`."""

    def __init__(self, roots: list[Path]):
        super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False)
        self.roots = [root.resolve() for root in roots]

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            parts = urlsplit(url)
            path = Path(url2pathname(parts.path)).resolve()
            local = parts.netloc in ("", "localhost")
            if local and any(path.is_relative_to(r) for r in self.roots) and path.is_file():
                return super().fetch(path.as_uri(), headers)
        raise URLRefused(f"resource refused: {url[:200]}")


def harfbuzz_subset_available() -> bool:
    """True when libharfbuzz-subset is installed (without it a Chinese page takes seconds)."""
    return ctypes.util.find_library("harfbuzz-subset") is not None


def chinese_date(value: date | datetime | None) -> str:
    """2026年12月6日, or an empty string."""
    if value is None:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


def yuan(value) -> str:
    """12,345.60 for an amount, or an empty string."""
    return "" if value is None else f"{value:,.2f}"


class DocumentRenderer:
    """Templates in `template_dir` to HTML, HTML to PDF; resources only from `asset_roots`."""

    def __init__(self, template_dir: Path, asset_roots: list[Path] = ()):
        self.template_dir = Path(template_dir).resolve()
        self.fetcher = SafeFetcher([self.template_dir, *asset_roots])
        self._local = threading.local()
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(self.template_dir),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters.update(capital_yuan=capital_yuan, chinese_date=chinese_date, yuan=yuan)

    @property
    def font_config(self) -> FontConfiguration:
        """One font configuration per thread, kept: building it (fontconfig, Pango's font map)
        costs about a tenth of a render (bench/documents.py); Pango's is not thread-safe."""
        config = getattr(self._local, "font_config", None)
        if config is None:
            config = self._local.font_config = FontConfiguration()
        return config

    def html(self, template: str, **context) -> str:
        """The filled template as an HTML string."""
        return self.env.get_template(template).render(**context)

    def pdf(self, html: str) -> bytes:
        """The HTML as PDF bytes (fonts subset, images as given)."""
        document = HTML(
            string=html, base_url=self.template_dir.as_uri() + "/", url_fetcher=self.fetcher
        )
        return document.write_pdf(font_config=self.font_config)

    def render(self, template: str, **context) -> bytes:
        """Fill a template and render it: html() then pdf()."""
        return self.pdf(self.html(template, **context))
