"""The demo business: a Shanghai hair salon with staff, hours, services and a booking history.

Everything is made through the services, exactly as the back office and the booking flow
would make it, so the demo is also a smoke test of them. The salon's own names and addresses
are data (what a Chinese salon would enter), not interface text, so they are not translated.
"""

import datetime as dt
import random
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import cast

from django.utils import timezone
from django.utils.translation import gettext as _

from yuyue.accounts.models import User
from yuyue.bookings.availability import availability
from yuyue.bookings.models import Appointment, Channel, Status
from yuyue.bookings.services import (
    appointment_cancel,
    appointment_complete,
    appointment_confirm,
    appointment_create,
    appointment_mark_no_show,
    appointment_start,
)
from yuyue.cards.models import Kind as CardKind
from yuyue.cards.services import card_booking_create, card_product_create, card_sell
from yuyue.catalog.models import Business, Membership, Service
from yuyue.catalog.services import (
    business_create,
    business_update,
    invitation_accept,
    invitation_create,
    location_create,
    service_create,
)
from yuyue.customers.services import customer_for_booking
from yuyue.scheduling.engine import Slot
from yuyue.scheduling.models import StaffMember
from yuyue.scheduling.services import staff_hours_set, staff_member_create, staff_override_set

ZONE = "Asia/Shanghai"


@dataclass(frozen=True)
class Login:
    role: str
    username: str
    password: str


# Fixed on purpose: the README shows them. A demo database holds nothing worth protecting.
LOGINS = (
    Login("owner", "owner", "yuyue-owner-demo"),
    Login("staff", "staff", "yuyue-staff-demo"),
    Login("customer", "customer", "yuyue-customer-demo"),
)


def login_lines(base_url: str) -> list[str]:
    """What to open and with which demo login, under the address actually served."""
    base = base_url.rstrip("/")
    by_role = {login.role: login for login in LOGINS}

    def who(role: str) -> str:
        login = by_role[role]
        return f"{login.username} / {login.password}"

    return [
        _("Customer pages: %(url)s (log in as %(login)s, or register)")
        % {"url": f"{base}/", "login": who("customer")},
        _("Back office: %(url)s (owner: %(owner)s; staff: %(staff)s)")
        % {"url": f"{base}/manage/", "owner": who("owner"), "staff": who("staff")},
        _("Raw data (Django admin, the owner's login): %(url)s") % {"url": f"{base}/admin/"},
    ]


_USERS = {
    "owner": {
        "display_name": "王悦",
        "email": "owner@example.com",
        "phone": "+8613800138000",
    },
    "staff": {
        "display_name": "李娜",
        "email": "staff@example.com",
        "phone": "+8613900139000",
    },
    "customer": {
        "display_name": "张小美",
        "email": "customer@example.com",
        "phone": "+8613700137000",
    },
}
# More customers, without a password, so the history and the class look like a real week.
_WALK_IN_CUSTOMERS = {
    "liu.yang": {"display_name": "刘洋", "phone": "+8613600136000"},
    "zhao.min": {"display_name": "赵敏", "phone": "+8615000150000"},
    "sun.hao": {"display_name": "孙浩", "phone": "+8618600186000"},
}

_LOCATIONS = {
    "jingan": {
        "name": "静安店",
        "address": "上海市静安区南京西路 1266 号恒隆广场 3 楼 312 室",
        "phone": "+862162881234",
        "latitude": Decimal("31.229180"),
        "longitude": Decimal("121.453820"),
    },
    "xuhui": {
        "name": "徐汇店",
        "address": "上海市徐汇区衡山路 890 号 2 楼",
        "phone": "+862164315678",
        "latitude": Decimal("31.204120"),
        "longitude": Decimal("121.438050"),
    },
}

_SERVICES = {
    "wash_cut": {
        "name": "洗剪吹",
        "description": "洗发、按摩、精剪与吹整造型。",
        "duration_minutes": 60,
        "price": Decimal("88.00"),
        "slot_interval_minutes": 30,
    },
    "quick_cut": {
        "name": "男士快剪",
        "description": "不洗发，30 分钟内完成的简洁剪发。",
        "duration_minutes": 30,
        "price": Decimal("48.00"),
    },
    "colour": {
        "name": "染发",
        "description": "含色彩咨询与护色；结束后留 10 分钟清洁工位。",
        "duration_minutes": 120,
        "price": Decimal("388.00"),
        "buffer_after_minutes": 10,
    },
    "perm": {
        "name": "烫发",
        "description": "数码烫或冷烫，需发型师确认发质后预约生效。",
        "duration_minutes": 120,
        "price": Decimal("588.00"),
        "buffer_before_minutes": 10,
        "buffer_after_minutes": 15,
        "requires_confirmation": True,
        "cancel_cutoff_minutes": 24 * 60,
        "reschedule_cutoff_minutes": 24 * 60,
    },
    "scalp": {
        "name": "头皮护理",
        "description": "头皮检测、深层清洁与舒缓按摩。",
        "duration_minutes": 45,
        "price": Decimal("168.00"),
        "buffer_after_minutes": 15,
    },
    "kids": {
        "name": "儿童理发",
        "description": "12 岁以下儿童，家长可陪同。",
        "duration_minutes": 30,
        "price": Decimal("58.00"),
    },
    "class": {
        "name": "造型小课堂",
        "description": "每期最多 6 人，学会日常吹发与卷发棒造型。",
        "duration_minutes": 90,
        "price": Decimal("128.00"),
        "capacity": 6,
        "min_notice_minutes": 24 * 60,
    },
}

# How each staff member's past month went: (share of working time booked, no-show rate,
# cancellation rate). Different on purpose, so the dashboard has something to compare.
_MONTH = {
    "tony": (0.55, 0.08, 0.12),
    "li": (0.45, 0.03, 0.06),
    "chen": (0.35, 0.12, 0.15),
    "room": (0.25, 0.0, 0.08),
}
_MONTH_DAYS = 28
_CANCEL_REASONS = ("临时有事", "身体不适，改天再约", "行程冲突", "")
_LUNCH_BREAK_DAY = [["10:00", "13:00"], ["14:00", "20:00"]]


def _week(day_off: str, hours: list[list[str]]) -> dict[str, list[list[str]]]:
    return {
        key: hours for key in ("mon", "tue", "wed", "thu", "fri", "sat", "sun") if key != day_off
    }


_STAFF = {
    "tony": {
        "name": "Tony 老师",
        "location": "jingan",
        "services": ["wash_cut", "quick_cut", "colour", "perm", "class"],
        "hours": _week("mon", _LUNCH_BREAK_DAY),
    },
    "li": {
        "name": "李造型师",
        "location": "xuhui",
        "services": ["wash_cut", "colour", "perm", "kids"],
        "hours": _week("wed", _LUNCH_BREAK_DAY),
        "user": "staff",
    },
    "chen": {
        "name": "陈助理",
        "location": "xuhui",
        "services": ["wash_cut", "quick_cut", "kids"],
        "hours": _week("thu", [["09:30", "12:30"], ["13:30", "18:30"]]),
    },
    "room": {
        "name": "护理室 1 号",
        "location": "jingan",
        "services": ["scalp"],
        "hours": _week("tue", [["10:00", "12:00"], ["13:00", "21:00"]]),
    },
}


@dataclass
class DemoResult:
    business: Business
    created: bool
    appointments: dict[str, int] = field(default_factory=dict)


def demo_exists(slug: str) -> bool:
    return Business.objects.filter(slug=slug).exists()


class _Builder:
    def __init__(self, *, slug: str, now: dt.datetime, say: Callable[[str], None]) -> None:
        self.slug = slug
        self.now = now
        self.say = say
        self.zone = zoneinfo.ZoneInfo(ZONE)
        self.today = now.astimezone(self.zone).date()
        self.users: dict[str, User] = {}
        self.locations: dict = {}
        self.services: dict[str, Service] = {}
        self.staff: dict[str, StaffMember] = {}

    def step(self, label: str, action: Callable[[], object]) -> None:
        action()
        self.say(_("%(step)s… ok") % {"step": label})

    # People, places, services ---------------------------------------------------------------

    def make_users(self) -> None:
        for login in LOGINS:
            self.users[login.username] = User.objects.create_user(
                username=login.username, password=login.password, **_USERS[login.username]
            )
        for username, details in _WALK_IN_CUSTOMERS.items():
            self.users[username] = User.objects.create_user(
                username=username, password=None, email=f"{username}@example.com", **details
            )

    def make_business(self) -> None:
        self.business = business_create(
            owner=self.users["owner"], slug=self.slug, name="悦己美发沙龙", timezone=ZONE
        )
        business_update(actor=self.users["owner"], business=self.business, phone="+862162881234")

    def make_locations(self) -> None:
        for key, details in _LOCATIONS.items():
            self.locations[key] = location_create(
                actor=self.users["owner"], business=self.business, **details
            )

    def make_services(self) -> None:
        for key, details in _SERVICES.items():
            self.services[key] = service_create(
                actor=self.users["owner"], business=self.business, **details
            )

    def make_staff(self) -> None:
        # The staff account joins as every existing account does: invited, and accepting.
        issued = invitation_create(
            actor=self.users["owner"], business=self.business, role=Membership.Role.STAFF
        )
        invitation_accept(token=issued.token, actor=self.users["staff"])
        for key, details in _STAFF.items():
            username = details.get("user")
            self.staff[key] = staff_member_create(
                actor=self.users["owner"],
                business=self.business,
                name=details["name"],
                location=self.locations[details["location"]],
                services=[self.services[name] for name in details["services"]],
                user=self.users[username] if username else None,
            )

    def make_hours(self) -> None:
        for key, details in _STAFF.items():
            staff_hours_set(
                actor=self.users["owner"], staff=self.staff[key], hours=details["hours"]
            )
        # Next week: Tony is away one day and stays late another (both are his working days).
        next_monday = self.today + dt.timedelta(days=7 - self.today.weekday())
        staff_override_set(
            actor=self.users["owner"],
            staff=self.staff["tony"],
            date=next_monday + dt.timedelta(days=2),
            closed=True,
            note="外出参加欧莱雅色彩培训",
        )
        staff_override_set(
            actor=self.users["owner"],
            staff=self.staff["tony"],
            date=next_monday + dt.timedelta(days=5),
            intervals=[["12:00", "13:00"], ["14:00", "22:00"]],
            note="周六延长营业",
        )

    # Bookings ----------------------------------------------------------------------------------

    def _morning_before(self, day: dt.date) -> dt.datetime:
        """A moment the day before `day`, when a customer could have booked it."""
        return dt.datetime.combine(day - dt.timedelta(days=1), dt.time(9, 0), tzinfo=self.zone)

    def _slot(
        self,
        service: str,
        staff: str,
        *,
        days: range,
        hour: int,
        booked_at: Callable[[dt.date], dt.datetime],
    ) -> tuple[Slot, dt.datetime]:
        """The free slot nearest to `hour` local on the first day in `days` that has one."""
        for offset in days:
            day = self.today + dt.timedelta(days=offset)
            moment = booked_at(day)
            slots = availability(
                service=self.services[service],
                date_from=day,
                date_to=day,
                staff_id=self.staff[staff].id,
                now=moment,
            ).slots
            if slots:
                target = dt.datetime.combine(day, dt.time(hour), tzinfo=self.zone)
                best = min(slots, key=lambda slot: abs(slot.start - target))
                return best, moment
        raise RuntimeError(f"No free {service} slot for {staff} in {days}")

    def _book(
        self,
        service: str,
        staff: str,
        customer: str,
        *,
        days: range,
        hour: int,
        past: bool,
        channel: str = Channel.MINIPROGRAM,
        notes: str = "",
        slot: Slot | None = None,
    ) -> tuple[Appointment, Slot, dt.datetime]:
        booked_at = self._morning_before if past else (lambda _day: self.now)
        if slot is None:
            slot, moment = self._slot(service, staff, days=days, hour=hour, booked_at=booked_at)
        else:
            moment = booked_at(slot.start.astimezone(self.zone).date())
        appointment = appointment_create(
            service=self.services[service],
            customer=self.users[customer],
            start=slot.start,
            staff=self.staff[staff],
            location=self.staff[staff].location,
            notes=notes,
            channel=channel,
            now=moment,
        )
        return appointment, slot, moment

    def make_month(self) -> None:
        """Four weeks of finished work before the recent history: every staff member's days
        filled to about their usual share, with their own no-show and cancellation rates.
        Times sit on each service's own grid, as a customer would have booked them."""
        customers = ["customer", *_WALK_IN_CUSTOMERS]
        for key, (busy, no_show, cancel) in _MONTH.items():
            member = self.staff[key]
            offered = [
                self.services[name]
                for name in _STAFF[key]["services"]
                if self.services[name].capacity == 1
            ]
            hours = cast(dict[str, list[list[str]]], _STAFF[key]["hours"])
            # The same month every run: the dice are seeded by the staff member.
            dice = random.Random(f"demo-{key}")
            for offset in range(-_MONTH_DAYS, 0):
                day = self.today + dt.timedelta(days=offset)
                weekday = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[day.weekday()]
                for begin, finish in hours.get(weekday, []):
                    opens = dt.datetime.combine(day, dt.time.fromisoformat(begin), self.zone)
                    closes = dt.datetime.combine(day, dt.time.fromisoformat(finish), self.zone)
                    cursor = opens
                    while True:
                        service = dice.choice(offered)
                        step = dt.timedelta(
                            minutes=service.slot_interval_minutes or service.duration_minutes
                        )
                        length = dt.timedelta(minutes=service.duration_minutes)
                        before = dt.timedelta(minutes=service.buffer_before_minutes)
                        after = dt.timedelta(minutes=service.buffer_after_minutes)
                        start = opens
                        while start - before < cursor:
                            start += step
                        if start + length + after > closes:
                            break
                        cursor = start + length + after
                        if dice.random() > busy:
                            continue
                        moment = self._morning_before(day) - dt.timedelta(days=dice.randrange(0, 5))
                        appointment = appointment_create(
                            service=service,
                            customer=self.users[dice.choice(customers)],
                            start=start,
                            staff=member,
                            location=member.location,
                            channel=dice.choice((Channel.MINIPROGRAM, Channel.WEB)),
                            now=moment,
                        )
                        self._play_out(appointment, moment, (no_show, cancel), dice)

    def _play_out(
        self,
        appointment: Appointment,
        booked: dt.datetime,
        rates: tuple[float, float],
        dice: random.Random,
    ) -> None:
        """A past appointment booked at `booked` cancelled (the customer phoned), missed or
        done, at the rates given."""
        owner = self.users["owner"]
        no_show, cancel = rates
        roll = dice.random()
        if roll < cancel:
            appointment_cancel(
                appointment=appointment,
                actor=owner,
                reason=dice.choice(_CANCEL_REASONS),
                now=booked + dt.timedelta(hours=2),
            )
            return
        if appointment.status == Status.PENDING:
            appointment_confirm(appointment=appointment, actor=owner, now=booked)
        if roll < cancel + no_show:
            appointment_mark_no_show(
                appointment=appointment,
                actor=owner,
                now=appointment.start + dt.timedelta(minutes=15),
            )
            return
        appointment_start(appointment=appointment, actor=owner, now=appointment.start)
        appointment_complete(appointment=appointment, actor=owner, now=appointment.end)

    def make_history(self) -> None:
        owner = self.users["owner"]
        hour = dt.timedelta(hours=1)

        def completed(service: str, staff: str, customer: str, days: range, at: int) -> None:
            appointment, slot, moment = self._book(
                service, staff, customer, days=days, hour=at, past=True
            )
            if appointment.status == "pending":
                appointment_confirm(appointment=appointment, actor=owner, now=moment + hour)
            appointment_start(appointment=appointment, actor=owner, now=slot.start)
            appointment_complete(appointment=appointment, actor=owner, now=slot.end)

        completed("wash_cut", "tony", "customer", range(-6, -13, -1), 11)
        completed("colour", "li", "liu.yang", range(-5, -12, -1), 15)
        completed("perm", "tony", "zhao.min", range(-4, -11, -1), 14)
        completed("scalp", "room", "customer", range(-3, -10, -1), 16)
        completed("kids", "chen", "sun.hao", range(-2, -9, -1), 10)

        appointment, slot, _moment = self._book(
            "quick_cut", "chen", "liu.yang", days=range(-3, -10, -1), hour=17, past=True
        )
        appointment_mark_no_show(
            appointment=appointment, actor=owner, now=slot.start + dt.timedelta(minutes=15)
        )

        appointment, _slot, moment = self._book(
            "colour", "tony", "sun.hao", days=range(-2, -9, -1), hour=15, past=True
        )
        appointment_cancel(
            appointment=appointment, actor=owner, reason="顾客来电改期", now=moment + hour
        )

    def make_in_progress(self) -> None:
        """The appointment in the chair right now (or, at night, the day's last one)."""
        service, staff = "wash_cut", "li"
        latest: tuple[Slot, dt.datetime] | None = None
        for offset in range(0, -8, -1):
            day = self.today + dt.timedelta(days=offset)
            moment = self._morning_before(day)
            slots = [
                slot
                for slot in availability(
                    service=self.services[service],
                    date_from=day,
                    date_to=day,
                    staff_id=self.staff[staff].id,
                    now=moment,
                ).slots
                if slot.start <= self.now
            ]
            if slots:
                latest = (max(slots, key=lambda slot: slot.start), moment)
                break
        if latest is None:
            raise RuntimeError("No recent slot for the appointment in progress")
        slot, moment = latest
        appointment, _slot, _moment = self._book(
            service, staff, "customer", days=range(0), hour=0, past=True, slot=slot
        )
        appointment_start(appointment=appointment, actor=self.users["owner"], now=slot.start)

    def make_upcoming(self) -> None:
        owner = self.users["owner"]
        ahead = range(1, 15)
        # Perms wait for the stylist's confirmation: two pending, one already confirmed.
        self._book("perm", "li", "customer", days=ahead, hour=14, past=False, notes="想要自然卷")
        self._book("perm", "tony", "zhao.min", days=range(2, 16), hour=10, past=False)
        appointment, _slot, _moment = self._book(
            "perm", "li", "liu.yang", days=range(3, 17), hour=15, past=False
        )
        appointment_confirm(appointment=appointment, actor=owner, now=self.now)

        self._book("wash_cut", "tony", "customer", days=range(4, 18), hour=11, past=False)
        self._book("scalp", "room", "sun.hao", days=ahead, hour=19, past=False)
        self._book(
            "kids",
            "chen",
            "sun.hao",
            days=range(2, 16),
            hour=10,
            past=False,
            channel=Channel.BACKOFFICE,
            notes="孩子 6 岁",
        )

        # Three people in the same class: a service with capacity 6 shares one slot.
        _first, slot, _moment = self._book(
            "class", "tony", "customer", days=range(3, 17), hour=15, past=False
        )
        for customer in ("liu.yang", "zhao.min"):
            self._book("class", "tony", customer, days=range(0), hour=0, past=False, slot=slot)

        appointment, _slot, _moment = self._book(
            "quick_cut", "chen", "customer", days=range(5, 19), hour=17, past=False
        )
        appointment_cancel(
            appointment=appointment, actor=self.users["customer"], reason="临时出差", now=self.now
        )

    def make_cards(self) -> None:
        """Two member cards on sale (docs/cards.md): 张小美 holds the package and has booked
        with it, 刘洋 holds the stored value card."""
        owner = self.users["owner"]
        package = card_product_create(
            business=self.business,
            actor=owner,
            kind=CardKind.PACKAGE,
            name="洗剪吹 10 次卡",
            price=Decimal("680.00"),
            uses=10,
            services=[self.services["wash_cut"]],
            valid_days=180,
            terms="十次洗剪吹，购买日起 180 天内有效；未用次数可按比例退款。",
        )
        stored = card_product_create(
            business=self.business,
            actor=owner,
            kind=CardKind.STORED_VALUE,
            name="充 1000 送 200",
            price=Decimal("1000.00"),
            bonus=Decimal("200.00"),
            discount_percent=10,
            terms="储值 1000 元赠 200 元，全部服务享 9 折；退款只退本金余额。",
        )
        bought = self.now - dt.timedelta(days=20)
        for username, product, channel in (
            ("customer", package, "wechat_qr"),
            ("liu.yang", stored, "cash"),
        ):
            record = customer_for_booking(business=self.business, user=self.users[username])
            card = card_sell(
                product=product, customer=record, actor=owner, channel=channel, now=bought
            )
            if username == "customer":
                slot, _moment = self._slot(
                    "wash_cut", "tony", days=range(2, 20), hour=16, booked_at=lambda _d: self.now
                )
                card_booking_create(
                    card=card,
                    service=self.services["wash_cut"],
                    staff=self.staff["tony"],
                    start=slot.start,
                    actor=self.users[username],
                    channel=Channel.MINIPROGRAM,
                    now=self.now,
                )

    def run(self) -> DemoResult:
        self.step(_("Creating users"), self.make_users)
        self.step(_("Creating the business"), self.make_business)
        self.step(_("Creating locations"), self.make_locations)
        self.step(_("Creating services"), self.make_services)
        self.step(_("Creating staff"), self.make_staff)
        self.step(_("Setting working hours and days off"), self.make_hours)
        self.step(_("Booking the past month"), self.make_month)
        self.step(_("Booking past appointments"), self.make_history)
        self.step(_("Booking the appointment in progress"), self.make_in_progress)
        self.step(_("Booking upcoming appointments"), self.make_upcoming)
        self.step(_("Selling member cards"), self.make_cards)
        counts: dict[str, int] = {}
        for status in Appointment.objects.filter(business=self.business).values_list(
            "status", flat=True
        ):
            counts[status] = counts.get(status, 0) + 1
        counts = {status: counts[status] for status in Status.values if status in counts}
        return DemoResult(business=self.business, created=True, appointments=counts)


def demo_build(
    *, slug: str, now: dt.datetime | None = None, say: Callable[[str], None] = print
) -> DemoResult:
    """Create the demo business `slug` and its history; the caller holds the transaction."""
    return _Builder(slug=slug, now=now or timezone.now(), say=say).run()
