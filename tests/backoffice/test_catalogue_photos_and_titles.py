"""The catalogue from the back office to the customer: categories in the owner's order,
photos (checked, resized, served by the app; refused uploads store nothing), and staff titles
whose price the booking snapshots."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.helpers import WEDNESDAY, at, html_of, make_staff, owner_of
from yuyue.bookings.services import appointment_create
from yuyue.catalog.models import Service, ServiceCategory, StaffTitle, TitlePrice
from yuyue.catalog.services import (
    service_category_create,
    service_category_move,
    service_create,
    service_update,
    staff_title_create,
    title_prices_set,
)
from yuyue.scheduling.services import staff_member_update

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


def stored(media) -> list[str]:
    folder = media / "photos"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def picture(size=(2400, 1800), kind="JPEG", color=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, kind)
    return buffer.getvalue()


def upload(data: bytes, name="photo.jpg", content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def service_form(service, **extra) -> dict:
    values = {
        "name": service.name,
        "category": service.category_id or "",
        "description": service.description,
        "duration_minutes": service.duration_minutes,
        "price": service.price,
        "buffer_before_minutes": 0,
        "buffer_after_minutes": 0,
        "capacity": 1,
        "slot_interval_minutes": "",
        "min_notice_minutes": 60,
        "max_days_ahead": 60,
        "cancel_cutoff_minutes": 120,
        "reschedule_cutoff_minutes": 120,
        "active": "on",
    }
    values.update(extra)
    return values


# Photos ------------------------------------------------------------------------------------


def test_a_photo_is_resized_stored_as_jpeg_and_served(as_owner, client, business, service, media):
    response = as_owner.post(
        f"/manage/{business.slug}/settings/services/{service.id}/",
        service_form(service, photo=upload(picture(kind="PNG"), "big.png", "image/png")),
    )

    assert response.status_code == 303, html_of(response)[:2000]
    service.refresh_from_db()
    assert stored(media) == [service.photo]
    image = Image.open(media / "photos" / service.photo)
    assert image.format == "JPEG" and max(image.size) == 1600
    served = client.get(f"/photos/{service.photo}")
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    assert "immutable" in served["Cache-Control"] and "max-age=31536000" in served["Cache-Control"]
    # The customer sees it on the business page.
    assert f"/photos/{service.photo}" in html_of(client.get(f"/b/{business.slug}/"))


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"not an image at all" * 100, "x.jpg", "not a photo we can read"),
        (picture()[:2000], "cut.jpg", "not a photo we can read"),
        (b"GIF89a" + picture((10, 10), "GIF")[6:], "anim.gif", "JPEG, PNG or WebP"),
    ],
    ids=["garbage", "truncated", "gif"],
)
def test_a_broken_or_wrong_image_is_a_clear_error_and_nothing_is_stored(
    as_owner, business, service, media, data, name, message
):
    response = as_owner.post(
        f"/manage/{business.slug}/settings/services/{service.id}/",
        service_form(service, name="改了名字", photo=upload(data, name)),
    )

    assert response.status_code == 400
    assert message in html_of(response)
    assert stored(media) == []
    service.refresh_from_db()
    assert (service.photo, service.name) == ("", "洗剪吹")  # nothing half-written


def test_a_pixel_bomb_is_refused_before_it_is_decoded(as_owner, business, service, media):
    # A tiny PNG that declares 100,000 × 100,000 pixels (10 gigapixels).
    small = io.BytesIO()
    Image.new("1", (100_000, 100_000 // 1000)).save(small, "PNG")
    data = bytearray(small.getvalue())
    # Rewrite the header's height (bytes 20–24 of IHDR) to 100,000.
    data[20:24] = (100_000).to_bytes(4, "big")

    response = as_owner.post(
        f"/manage/{business.slug}/settings/services/{service.id}/",
        service_form(service, photo=upload(bytes(data), "bomb.png", "image/png")),
    )

    assert response.status_code == 400
    html = html_of(response)
    assert "too many pixels" in html or "not a photo we can read" in html
    assert stored(media) == []


def test_a_file_over_the_size_limit_is_refused(as_owner, business, service, media, settings):
    settings.PHOTO_MAX_UPLOAD_BYTES = 10_000

    response = as_owner.post(
        f"/manage/{business.slug}/settings/services/{service.id}/",
        service_form(service, photo=upload(picture((800, 800)) + b"\0" * 20_000)),
    )

    assert response.status_code == 400
    assert "too large" in html_of(response)
    assert stored(media) == []


def test_a_staff_photo_replaces_the_old_one_and_can_be_removed(
    as_owner, business, stylist, media, django_capture_on_commit_callbacks
):
    url = f"/manage/{business.slug}/settings/staff/{stylist.id}/"
    form = {"name": stylist.name, "location": stylist.location_id, "services": [], "active": "on"}

    as_owner.post(url, {**form, "photo": upload(picture((300, 300)))})
    stylist.refresh_from_db()
    first = stylist.photo
    # The old file goes once the new one is committed.
    with django_capture_on_commit_callbacks(execute=True):
        as_owner.post(url, {**form, "photo": upload(picture((300, 300), color=(0, 0, 255)))})
    stylist.refresh_from_db()
    second = stylist.photo

    assert first and second and first != second
    assert stored(media) == [second]
    with django_capture_on_commit_callbacks(execute=True):
        as_owner.post(url, {**form, "remove_photo": "on"})
    stylist.refresh_from_db()
    assert stylist.photo == "" and stored(media) == []


def test_only_stored_photos_are_served(client, media):
    (media / "photos").mkdir(parents=True)
    (media / "secret.txt").write_text("no")

    for name in ("..%2Fsecret.txt", "secret.txt", "0" * 32 + ".png", "0" * 32 + ".jpg"):
        assert client.get(f"/photos/{name}").status_code == 404


# Categories -------------------------------------------------------------------------------


def test_the_customer_sees_services_under_categories_in_the_owners_order(
    client, as_owner, business, service
):
    owner = owner_of(business)
    cut = service_category_create(business=business, actor=owner, name="剪发")
    colour = service_category_create(business=business, actor=owner, name="染烫")
    dye = service_create(
        business=business,
        actor=owner,
        name="染发",
        duration_minutes=90,
        price=Decimal("300"),
        category=colour,
        description="含护理",
    )
    service_update(service=service, actor=owner, category=cut)
    service_create(business=business, actor=owner, name="头皮检测", duration_minutes=15, price=0)

    service_category_move(category=colour, actor=owner, step=-1)
    html = html_of(client.get(f"/b/{business.slug}/"))
    api = client.get(f"/api/v1/businesses/{business.slug}/services").json()

    assert html.index("染烫") < html.index("染发") < html.index("剪发") < html.index("洗剪吹")
    assert html.index("洗剪吹") < html.index("头皮检测")
    assert "含护理" in html
    assert [s["name"] for s in api["items"]] == ["染发", "洗剪吹", "头皮检测"]
    assert api["items"][0]["category"] == {"id": colour.id, "name": "染烫", "position": 1}
    assert api["items"][2]["category"] is None
    assert dye.description == api["items"][0]["description"]


def test_the_owner_manages_categories_on_the_catalogue_page(as_owner, business):
    url = f"/manage/{business.slug}/settings/catalogue/"

    as_owner.post(url, {"list": "category", "do": "add", "name": "剪发"})
    as_owner.post(url, {"list": "category", "do": "add", "name": "染烫"})
    second = ServiceCategory.objects.get(name="染烫")
    as_owner.post(url, {"list": "category", "do": "up", "id": second.id})
    duplicate = as_owner.post(url, {"list": "category", "do": "add", "name": "剪发"})

    assert list(ServiceCategory.objects.order_by("position").values_list("name", flat=True)) == [
        "染烫",
        "剪发",
    ]
    assert duplicate.status_code == 400
    assert "taken" in html_of(duplicate)


def test_staff_cannot_open_the_catalogue(as_staff, business):
    assert as_staff.get(f"/manage/{business.slug}/settings/catalogue/").status_code == 403


# Titles and their prices -----------------------------------------------------------------------


@pytest.fixture
def chief(business, service, location):
    owner = owner_of(business)
    title = staff_title_create(business=business, actor=owner, name="首席")
    title_prices_set(service=service, actor=owner, prices={title: Decimal("168.00")})
    member = make_staff(service=service, location=location, name="Kevin 首席")
    staff_member_update(staff=member, actor=owner, title=title)
    return member


def test_the_price_follows_the_staff_members_title(service, stylist, chief, customer):
    with_chief = appointment_create(
        service=service, customer=customer, staff=chief, start=at(WEDNESDAY, "10:00")
    )
    with_stylist = appointment_create(
        service=service, customer=customer, staff=stylist, start=at(WEDNESDAY, "11:00")
    )

    assert with_chief.price == Decimal("168.00")
    assert with_stylist.price == Decimal("88.00")


def test_titles_and_their_prices_show_on_the_customer_pages_and_the_api(
    client, business, service, chief
):
    html = html_of(client.get(f"/b/{business.slug}/book/{service.id}/"))
    staff = client.get(f"/api/v1/businesses/{business.slug}/staff").json()["items"]
    services = client.get(f"/api/v1/businesses/{business.slug}/services").json()["items"]

    assert "Kevin 首席 · 首席" in html and '<span class="chip-price">¥168</span>' in html
    assert next(s for s in staff if s["id"] == chief.id)["title"]["name"] == "首席"
    assert services[0]["prices_by_title"] == [
        {"title_id": chief.title_id, "title": "首席", "price": "168.00"}
    ]


def test_the_owner_sets_a_price_per_title_on_the_service_page(as_owner, business, service):
    title = staff_title_create(business=business, actor=owner_of(business), name="高级")
    url = f"/manage/{business.slug}/settings/services/{service.id}/"

    assert f'name="title_{title.id}"' in html_of(as_owner.get(url))
    as_owner.post(url, service_form(service, **{f"title_{title.id}": "128"}))
    assert TitlePrice.objects.get(service=service, title=title).price == Decimal("128.00")
    as_owner.post(url, service_form(service, **{f"title_{title.id}": ""}))
    assert not TitlePrice.objects.filter(service=service).exists()


def test_a_title_of_another_business_cannot_be_given(stylist, other_owner):
    from yuyue.catalog.services import business_create
    from yuyue.lib.errors import InvalidInput

    elsewhere = business_create(owner=other_owner, slug="elsewhere-2", name="别家")
    foreign = StaffTitle.objects.create(business=elsewhere, name="首席")

    with pytest.raises(InvalidInput):
        staff_member_update(staff=stylist, actor=owner_of(stylist.business), title=foreign)
    assert Service.objects.count() == 1


def test_a_body_larger_than_any_photo_is_refused_before_it_is_read(
    as_owner, business, service, media, settings
):
    settings.PHOTO_MAX_UPLOAD_BYTES = 10_000
    big = picture((800, 800)) + b"\0" * 2_000_000

    response = as_owner.post(
        f"/manage/{business.slug}/settings/services/{service.id}/",
        service_form(service, name="改了名字", photo=upload(big)),
    )

    assert response.status_code == 413
    assert "9.8\xa0KB" in html_of(response)
    assert stored(media) == []
    service.refresh_from_db()
    assert service.name == "洗剪吹"
