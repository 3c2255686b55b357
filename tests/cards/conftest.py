"""The cast for member cards: the salon's package (洗剪吹 10 次卡) and stored value card
(充 1000 送 200, 10% off), and the customer's record at the salon."""

from decimal import Decimal

import pytest

from tests.helpers import NOW, owner_of

# WeChat Pay on loopback, for cards bought online (test_buy_online.py).
from tests.payments.conftest import standin, wechatpay_keys  # noqa: F401
from yuyue.cards.models import Kind
from yuyue.cards.services import card_product_create, card_sell
from yuyue.customers.services import customer_for_booking


@pytest.fixture
def package(business, service):
    return card_product_create(
        business=business,
        actor=owner_of(business),
        kind=Kind.PACKAGE,
        name="洗剪吹 10 次卡",
        price=Decimal("680.00"),
        uses=10,
        services=[service],
        valid_days=30,
        terms="十次洗剪吹，购买日起 30 天内有效。",
    )


@pytest.fixture
def stored(business):
    return card_product_create(
        business=business,
        actor=owner_of(business),
        kind=Kind.STORED_VALUE,
        name="充 1000 送 200",
        price=Decimal("1000.00"),
        bonus=Decimal("200.00"),
        discount_percent=10,
    )


@pytest.fixture
def record(business, customer):
    """The customer's record at the salon (made at a first booking, or by staff)."""
    return customer_for_booking(business=business, user=customer)


@pytest.fixture
def package_card(package, record, staff_user):
    return card_sell(product=package, customer=record, actor=staff_user, channel="cash", now=NOW)


@pytest.fixture
def stored_card(stored, record, staff_user):
    return card_sell(
        product=stored, customer=record, actor=staff_user, channel="wechat_qr", now=NOW
    )
