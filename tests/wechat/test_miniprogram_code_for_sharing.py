"""The mini program code on the share page: drawn by WeChat (the stand-in) for
pages/home/home with the business's slug as its scene, with the shared access token, kept in
the cache (a drawing costs a call), and WeChat's refusals shown in words."""

import io

import pytest
import zxingcpp
from django.core.cache import cache
from PIL import Image

from tests.helpers import html_of, office_browser_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_owner(owner):
    return office_browser_for(owner)


def drawn(png: bytes) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


def test_the_code_opens_the_home_page_with_the_slug_as_scene(standin, as_owner, business):
    response = as_owner.get(f"/manage/{business.slug}/share/miniprogram.png")

    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "image/png"
    assert drawn(response.content) == ["scene=salon&page=pages/home/home"]
    [call] = standin.received("getwxacodeunlimit")
    assert call["body"]["scene"] == "salon"
    assert call["body"]["page"] == "pages/home/home"
    assert call["body"]["env_version"] == "release"
    # The token is the one WeChat handed out (the stand-in refuses any other).
    assert call["query"]["access_token"] in standin.tokens


def test_the_share_page_shows_it_when_wechat_is_configured(standin, as_owner, business):
    html = html_of(as_owner.get(f"/manage/{business.slug}/share/"))

    assert f'src="/manage/{business.slug}/share/miniprogram.png"' in html


def test_the_image_is_drawn_once_then_kept(standin, as_owner, business):
    first = as_owner.get(f"/manage/{business.slug}/share/miniprogram.png")
    second = as_owner.get(f"/manage/{business.slug}/share/miniprogram.png?download=1")

    assert first.content == second.content
    assert len(standin.received("getwxacodeunlimit")) == 1
    assert second["Content-Disposition"] == 'attachment; filename="salon-miniprogram.png"'


def test_an_expired_token_is_refreshed_once(standin, as_owner, business):
    as_owner.get(f"/manage/{business.slug}/share/")  # nothing drawn yet
    as_owner.get(f"/manage/{business.slug}/share/miniprogram.png")
    standin.expire_tokens()
    cache.clear()  # the drawing is gone too: the next one needs WeChat again
    standin.fail_next("getwxacodeunlimit", 42001)

    response = as_owner.get(f"/manage/{business.slug}/share/miniprogram.png")

    assert response.status_code == 200
    assert len(standin.received("getwxacodeunlimit")) == 3


def test_a_refusal_is_shown_with_wechats_code_and_message(standin, as_owner, business, settings):
    settings.WECHAT_MINIPROGRAM_STATE = "formal"
    standin.pages = set()  # not published yet: WeChat answers 41030 (invalid page)

    response = as_owner.get(f"/manage/{business.slug}/share/miniprogram.png")

    html = html_of(response)
    assert response.status_code == 502
    assert response["Content-Type"].startswith("text/html")
    assert "41030" in html and "invalid page" in html
    # Nothing kept: the next try asks again.
    standin.pages = {"pages/home/home"}
    assert as_owner.get(f"/manage/{business.slug}/share/miniprogram.png").status_code == 200


def test_a_developer_version_is_drawn_without_checking_the_page(
    standin, as_owner, business, settings
):
    settings.WECHAT_MINIPROGRAM_STATE = "developer"
    standin.pages = set()

    response = as_owner.get(f"/manage/{business.slug}/share/miniprogram.png")

    assert response.status_code == 200
    [call] = standin.received("getwxacodeunlimit")
    assert call["body"]["env_version"] == "develop"
    assert call["body"]["check_path"] is False


def test_wechat_down_is_a_clear_503(standin, as_owner, business):
    standin.fail_next("getwxacodeunlimit", 502)

    response = as_owner.get(f"/manage/{business.slug}/share/miniprogram.png")

    assert response.status_code == 503
    assert "WeChat" in html_of(response)


def test_a_slug_too_long_for_a_scene_is_explained(standin, as_owner, owner):
    from yuyue.catalog.services import business_create

    long = business_create(owner=owner, slug="a" * 40, name="Long")

    response = as_owner.get(f"/manage/{long.slug}/share/miniprogram.png")

    assert response.status_code == 502
    assert "32" in html_of(response)
    assert standin.received("getwxacodeunlimit") == []
