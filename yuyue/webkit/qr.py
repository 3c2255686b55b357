"""QR codes drawn on the server as SVG markup inside the page: no image request, no script,
no inline style (the CSP), and nothing from a CDN."""

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_svg(text: str, *, title: str, svgclass: str, scale: int = 5) -> SafeString:
    svg = segno.make(text, error="m").svg_inline(scale=scale, title=title, svgclass=svgclass)
    return mark_safe(svg)  # segno's own markup; the title is escaped by segno
