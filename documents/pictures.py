"""The pictures a document carries: the committee's red seal (SVG) and the QR code (PNG).

The seal is drawn, not a stock image: a red ring, a star, the committee's name along the
upper arc and a line of text below. WeasyPrint's SVG renderer ignores <textPath>, so each
character of the arc is placed with its own rotate() transform (DESIGN §4).
"""

import math
from html import escape

import segno

RED = "#d7261e"


def seal_svg(name: str, below: str = "人民调解专用章", size_mm: float = 42) -> str:
    """An inline SVG of a round seal reading `name` along its upper arc and `below` under the star.

    Drawn in a 200 × 200 box; `size_mm` is the printed diameter (a committee's seal is
    about 42 mm across).
    """
    chars = list(name)[:24]
    count = len(chars)
    # The arc spans up to 250°, centred on the top; long names get the whole span.
    span = min(250.0, 20.0 + 16.5 * count)
    radius = 72.0
    font = max(14.0, min(26.0, 0.9 * math.radians(span) * radius / max(count, 1)))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 200" '
        f'width="{size_mm}mm" height="{size_mm}mm" class="seal" role="img" '
        f'aria-label="{escape(name)}印章">',
        f'<circle cx="100" cy="100" r="94" fill="none" stroke="{RED}" stroke-width="6"/>',
        f'<polygon points="{_star_points(100, 100, 26, 10)}" fill="{RED}"/>',
    ]
    for index, char in enumerate(chars):
        angle = -span / 2 + span * (index + 0.5) / count
        parts.append(
            f'<text x="100" y="{100 - radius + font / 2:.1f}" font-size="{font:.1f}" '
            f'text-anchor="middle" fill="{RED}" font-family="Noto Serif CJK SC, serif" '
            f'transform="rotate({angle:.2f} 100 100)">{escape(char)}</text>'
        )
    if below:
        parts.append(
            f'<text x="100" y="158" font-size="15" text-anchor="middle" fill="{RED}" '
            f'font-family="Noto Serif CJK SC, serif">{escape(below)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _star_points(cx: float, cy: float, outer: float, inner: float) -> str:
    """The ten corners of a five-pointed star, one point up."""
    points = []
    for index in range(10):
        radius = outer if index % 2 == 0 else inner
        angle = math.radians(-90 + 36 * index)
        points.append(f"{cx + radius * math.cos(angle):.2f},{cy + radius * math.sin(angle):.2f}")
    return " ".join(points)


def qr_image(url: str, size_mm: float = 24) -> str:
    """An <img> of the QR code of `url` (error correction M), `size_mm` wide.

    A PNG, not SVG: WeasyPrint draws a QR code's long SVG path in ~20 ms, a tenth of the
    whole agreement (bench/documents.py); at 10 px a module the print stays sharp.
    """
    code = segno.make(url, error="m", micro=False)
    data = code.png_data_uri(scale=10, border=2)
    return (
        f'<img class="qr-code" src="{data}" alt="{escape(url)}" '
        f'style="width:{size_mm}mm;height:{size_mm}mm">'
    )
