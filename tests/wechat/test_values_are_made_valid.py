"""Template values are shaped to WeChat's rules before sending (47003 otherwise)."""

import datetime as dt
import zoneinfo

import pytest

from tests.wechat.standin import RULES
from yuyue.notifications.miniprogram import valid_value, wechat_time

LONG = "资深发型总监设计剪发加深层护理套餐（含洗吹造型）"


def rule_of(key):
    return RULES[key.rstrip("0123456789")]


def test_a_thing_is_cut_to_twenty_characters():
    value = valid_value("thing1", LONG)

    assert len(value) == 20
    assert value.endswith("…")
    assert rule_of("thing1")(value)


def test_a_short_thing_is_left_alone():
    assert valid_value("thing3", "静安店") == "静安店"


def test_a_phrase_keeps_at_most_five_chinese_characters():
    assert valid_value("phrase4", "已确认 Confirmed!") == "已确认"
    assert valid_value("phrase4", "预约成功啦真好") == "预约成功啦"
    assert valid_value("phrase4", "Confirmed") == "已更新"
    assert rule_of("phrase4")(valid_value("phrase4", "预约成功啦真好"))


def test_a_character_string_is_printable_ascii_up_to_thirty_two():
    value = valid_value("character_string5", "编号 kq3V9d2mXb8tR1aP-kq3V9d2mXb8tR1aP-xyz")

    assert len(value) == 32
    assert rule_of("character_string5")(value)


def test_time_is_in_wechat_s_format_and_local():
    moment = dt.datetime(2026, 12, 2, 2, 5, tzinfo=dt.UTC)

    value = wechat_time(moment, zoneinfo.ZoneInfo("Asia/Shanghai"))

    assert value == "2026年12月2日 10:05"
    assert rule_of("time2")(value)
    assert wechat_time(moment, zoneinfo.ZoneInfo("Europe/Berlin")).endswith("03:05")


@pytest.mark.parametrize("key", ["thing1", "phrase2", "character_string3", "name4", "number5"])
def test_an_empty_value_is_never_sent(key):
    assert valid_value(key, "")
    assert rule_of(key)(valid_value(key, ""))


def test_an_amount_has_its_currency_sign():
    assert valid_value("amount6", "88.00 CNY") == "¥88.00"
