"""Industry templates: typical services with durations and prices, in Chinese and English, that
a new business picks from (and edits) on its set-up checklist. Data only: add an industry or a
service here and the template page offers it."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class TemplateService:
    zh: str
    en: str
    minutes: int
    price: Decimal
    capacity: int = 1  # a class takes several customers at once

    def name(self, language: str) -> str:
        return self.zh if language.startswith("zh") else self.en


@dataclass(frozen=True)
class Industry:
    key: str
    label: object  # lazily translated
    services: tuple[TemplateService, ...]


def _s(zh: str, en: str, minutes: int, price: str, capacity: int = 1) -> TemplateService:
    return TemplateService(zh=zh, en=en, minutes=minutes, price=Decimal(price), capacity=capacity)


INDUSTRIES: tuple[Industry, ...] = (
    Industry(
        "hair",
        _("Hair salon"),
        (
            _s("洗剪吹", "Wash, cut and blow-dry", 60, "88"),
            _s("男士快剪", "Men's quick cut", 30, "48"),
            _s("洗吹造型", "Wash and style", 45, "68"),
            _s("染发", "Colour", 120, "388"),
            _s("烫发", "Perm", 150, "488"),
            _s("头皮护理", "Scalp treatment", 45, "168"),
        ),
    ),
    Industry(
        "beauty",
        _("Beauty and spa"),
        (
            _s("基础面部护理", "Classic facial", 60, "198"),
            _s("深层清洁", "Deep-cleansing facial", 75, "268"),
            _s("全身按摩", "Full-body massage", 60, "238"),
            _s("足疗", "Foot massage", 45, "128"),
            _s("美甲", "Manicure", 60, "158"),
            _s("睫毛嫁接", "Eyelash extensions", 90, "298"),
        ),
    ),
    Industry(
        "clinic",
        _("Clinic"),
        (
            _s("初诊", "First consultation", 30, "200"),
            _s("复诊", "Follow-up visit", 20, "120"),
            _s("洁牙", "Teeth cleaning", 45, "300"),
            _s("体检咨询", "Health check consultation", 30, "150"),
            _s("理疗", "Physiotherapy session", 45, "260"),
        ),
    ),
    Industry(
        "fitness",
        _("Fitness and yoga classes"),
        (
            _s("瑜伽小班课", "Small-group yoga class", 60, "120", capacity=10),
            _s("普拉提", "Pilates class", 60, "150", capacity=8),
            _s("私教课", "Personal training", 60, "300"),
            _s("体验课", "Trial class", 45, "0"),
            _s("冥想课", "Meditation class", 45, "80", capacity=12),
        ),
    ),
    Industry(
        "consulting",
        _("Consulting"),
        (
            _s("初次咨询", "Introductory call", 30, "0"),
            _s("咨询（1小时）", "Consultation (1 hour)", 60, "500"),
            _s("深度咨询（2小时）", "In-depth session (2 hours)", 120, "900"),
            _s("跟进会谈", "Follow-up session", 30, "250"),
        ),
    ),
)
INDUSTRY_BY_KEY = {industry.key: industry for industry in INDUSTRIES}
