"""Sharing the booking page: its link, its QR code (SVG, PNG), a printable poster, and the
mini program code that opens the business in the mini program. Owners and staff alike: the
link is public, and staff hand it out at the counter too."""

import io

import segno
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from yuyue.backoffice.access import desk_view
from yuyue.backoffice.desk import Desk
from yuyue.notifications.links import booking_link
from yuyue.webkit.pages import page
from yuyue.wechat.codes import MiniProgramCodeRefused, miniprogram_code
from yuyue.wechat.errors import WeChatUnreachable
from yuyue.wechat.selectors import wechat_enabled

POSTER_SIZES = ("a5", "a4")
# Error correction M (15%): survives a crease or a smudge on a printed poster.
QR_ERROR = "m"


def _qr(desk: Desk) -> segno.QRCode:
    return segno.make(booking_link(desk.business), error=QR_ERROR)


def _image(body: bytes, content_type: str, *, filename: str = "") -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    # Behind a login, and it changes with the business's address: the browser may keep it
    # for a while, no shared cache may.
    patch_cache_control(response, private=True, max_age=300)
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@desk_view()
def share(request: HttpRequest, desk: Desk) -> HttpResponse:
    context = {
        "link": booking_link(desk.business),
        "wechat": wechat_enabled(),
        "sizes": POSTER_SIZES,
    }
    return page(request, "backoffice/share.html", context, desk=desk)


@require_GET
@desk_view()
def qr_svg(request: HttpRequest, desk: Desk) -> HttpResponse:
    buffer = io.BytesIO()
    _qr(desk).save(buffer, kind="svg", scale=8, border=4, xmldecl=False, title=desk.business.name)
    return _image(buffer.getvalue(), "image/svg+xml")


@require_GET
@desk_view()
def qr_png(request: HttpRequest, desk: Desk) -> HttpResponse:
    buffer = io.BytesIO()
    # About 1,000 pixels wide: sharp when printed at 8 cm.
    qr = _qr(desk)
    scale = max(4, 1000 // (qr.symbol_size(border=4)[0]))
    qr.save(buffer, kind="png", scale=scale, border=4)
    return _image(buffer.getvalue(), "image/png", filename=f"{desk.business.slug}-qr.png")


@require_GET
@desk_view()
def poster(request: HttpRequest, desk: Desk) -> HttpResponse:
    size = request.GET.get("size", "a5")
    if size not in POSTER_SIZES:
        size = "a5"
    context = {"link": booking_link(desk.business), "size": size, "sizes": POSTER_SIZES}
    return page(request, "backoffice/poster.html", context, desk=desk)


@require_GET
@desk_view()
def miniprogram(request: HttpRequest, desk: Desk) -> HttpResponse:
    """The mini program code as a PNG, or a page saying why WeChat gave none."""
    if not wechat_enabled():
        message = _("The mini program is not set up on this server (WECHAT_APPID).")
        status = 404
    else:
        try:
            image = miniprogram_code(slug=desk.business.slug)
        except MiniProgramCodeRefused as error:
            message, status = str(error.message), 502
        except WeChatUnreachable:
            message, status = _("WeChat cannot be reached right now; please try again."), 503
        else:
            filename = (
                f"{desk.business.slug}-miniprogram.png" if request.GET.get("download") else ""
            )
            return _image(image, "image/png", filename=filename)
    context = {"message": message}
    return page(request, "backoffice/share_problem.html", context, status=status, desk=desk)
