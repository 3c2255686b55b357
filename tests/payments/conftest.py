"""Payments fixtures: a deposit service, its stylist, and a booking of it awaiting payment."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.helpers import NOW, at, make_staff, owner_of
from yuyue.bookings.services import appointment_create
from yuyue.catalog.services import service_create

START = at(NOW.date() + dt.timedelta(days=1), "10:00")


@pytest.fixture
def deposit_service(business):
    return service_create(
        business=business,
        actor=owner_of(business),
        name="烫发",
        duration_minutes=60,
        price=Decimal("300.00"),
        min_notice_minutes=60,
        max_days_ahead=30,
        cancel_cutoff_minutes=24 * 60,
        payment_mode="deposit",
        deposit_amount=Decimal("50.00"),
        payment_window_minutes=15,
    )


@pytest.fixture
def perm_stylist(deposit_service, location, staff_user):
    return make_staff(service=deposit_service, location=location, user=staff_user)


@pytest.fixture
def held(deposit_service, perm_stylist, customer):
    """The customer's perm, Wednesday 10:00, awaiting its 50.00 deposit until 08:15 today."""
    return appointment_create(
        service=deposit_service, customer=customer, start=START, staff=perm_stylist, now=NOW
    )


@pytest.fixture(scope="session")
def wechatpay_keys(tmp_path_factory):
    """The merchant's key pair and WeChat Pay's platform key pair, made for this run."""
    from tests.payments.standin import new_key, pem_private, pem_public

    merchant, platform = new_key(), new_key()
    folder = tmp_path_factory.mktemp("wechatpay")
    (folder / "apiclient_key.pem").write_bytes(pem_private(merchant))
    (folder / "pub_key.pem").write_bytes(pem_public(platform))
    return merchant, platform, folder


@pytest.fixture
def standin(wechatpay_keys, settings):
    """WeChat Pay on loopback, and this server set up to use it."""
    from tests.payments import standin as wx

    merchant, platform, folder = wechatpay_keys
    fake = wx.StandIn(merchant_key=merchant, platform_key=platform)
    server = wx.serve(fake)
    settings.WECHATPAY_MCHID = wx.MCHID
    settings.WECHATPAY_APPID = wx.APPID
    settings.WECHATPAY_API_BASE = fake.url
    settings.WECHATPAY_PRIVATE_KEY_PATH = str(folder / "apiclient_key.pem")
    settings.WECHATPAY_CERT_SERIAL = wx.CERT_SERIAL
    settings.WECHATPAY_APIV3_KEY = wx.APIV3_KEY
    settings.WECHATPAY_PUBLIC_KEY_PATH = str(folder / "pub_key.pem")
    settings.WECHATPAY_PUBLIC_KEY_ID = wx.PUBLIC_KEY_ID
    settings.YUYUE_PUBLIC_URL = "https://yuyue.example.com"
    yield fake
    server.shutdown()
    server.server_close()
