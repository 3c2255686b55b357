"""The share page: the booking link, its QR code (which decodes back to the link, read by a
real decoder), the PNG download and the printable poster; for owners and staff alike."""

import io

import pytest
import zxingcpp
from PIL import Image

from tests.helpers import html_of

pytestmark = pytest.mark.django_db

LINK = "https://yuyue.example.cn/b/salon/"


@pytest.fixture(autouse=True)
def public_url(settings):
    settings.YUYUE_PUBLIC_URL = "https://yuyue.example.cn"


def decoded(png: bytes) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


def test_the_share_page_shows_the_booking_link_and_its_codes(as_owner, business):
    response = as_owner.get(f"/manage/{business.slug}/share/")

    html = html_of(response)
    assert response.status_code == 200
    assert f'value="{LINK}"' in html
    assert f'src="/manage/{business.slug}/share/qr.svg"' in html
    assert f'href="/manage/{business.slug}/share/qr.png"' in html
    assert f"/manage/{business.slug}/share/poster/?size=a4" in html
    # WeChat is not configured here: the page says how to get the mini program's code.
    assert "WECHAT_APPID" in html
    assert "/share/miniprogram.png" not in html


def test_staff_may_share_the_booking_page_too(as_staff, business):
    response = as_staff.get(f"/manage/{business.slug}/share/")

    assert response.status_code == 200
    assert LINK in html_of(response)


def test_the_png_qr_code_decodes_back_to_the_booking_link(as_owner, business):
    response = as_owner.get(f"/manage/{business.slug}/share/qr.png")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="salon-qr.png"'
    assert decoded(response.content) == [LINK]
    assert Image.open(io.BytesIO(response.content)).size[0] >= 900


def test_the_svg_qr_code_is_the_same_code(as_owner, business):
    response = as_owner.get(f"/manage/{business.slug}/share/qr.svg")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert svg.startswith("<svg") and "<script" not in svg
    assert business.name in svg  # its title


def test_the_link_follows_the_public_address(as_owner, business, settings):
    settings.YUYUE_PUBLIC_URL = "http://192.168.1.20:8000"

    png = as_owner.get(f"/manage/{business.slug}/share/qr.png").content

    assert decoded(png) == ["http://192.168.1.20:8000/b/salon/"]


@pytest.mark.parametrize(
    ("size", "sheet"), [("a5", "sheet a5"), ("a4", "sheet a4"), ("x", "sheet a5")]
)
def test_the_poster_names_the_business_and_says_scan_to_book(as_owner, business, size, sheet):
    response = as_owner.get(f"/manage/{business.slug}/share/poster/?size={size}")

    html = html_of(response)
    assert response.status_code == 200
    assert f'class="{sheet}"' in html
    assert "悦己美发沙龙" in html
    assert "扫码预约" in html and "Scan to book" in html
    assert f'src="/manage/{business.slug}/share/qr.svg"' in html
    assert LINK in html
    assert "backoffice/poster" in html  # its print stylesheet


def test_the_poster_stylesheet_sets_the_paper_sizes():
    from pathlib import Path

    from django.contrib.staticfiles import finders

    css = Path(finders.find("backoffice/poster.css")).read_text(encoding="utf-8")

    assert "size: A5 portrait" in css and "size: A4 portrait" in css
    assert "@media print" in css


def test_without_wechat_the_mini_program_code_says_why(as_owner, business):
    response = as_owner.get(f"/manage/{business.slug}/share/miniprogram.png")

    assert response.status_code == 404
    assert "WECHAT_APPID" in html_of(response)


def test_strangers_get_no_code(client, stranger, business):
    client.force_login(stranger)

    for path in ("share/", "share/qr.png", "share/qr.svg", "share/poster/"):
        assert client.get(f"/manage/{business.slug}/{path}").status_code == 404
