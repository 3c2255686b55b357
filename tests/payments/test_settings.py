"""WeChat Pay half set up is refused at start, every missing setting named in one line."""

from tests.lib.test_yuyue_command_refuses_bad_settings_in_one_line import GOOD_KEY, yuyue


def test_half_set_up_wechat_pay_is_refused_in_one_line(tmp_path):
    result = yuyue(
        tmp_path,
        "check",
        YUYUE_ENV="production",
        SECRET_KEY=GOOD_KEY,
        WECHATPAY_MCHID="1900000109",
        WECHATPAY_APIV3_KEY="too-short",
        WECHATPAY_API_BASE="http://api.mch.weixin.qq.com",
    )
    assert result.returncode == 2
    (line,) = result.stderr.splitlines()
    for named in (
        "WECHATPAY_PRIVATE_KEY_PATH",
        "WECHATPAY_CERT_SERIAL",
        "WECHATPAY_PUBLIC_KEY_PATH",
        "WECHATPAY_PUBLIC_KEY_ID",
        "WECHATPAY_APIV3_KEY is not 32 characters",
        "WECHATPAY_API_BASE is not https",
    ):
        assert named in line


def test_wechat_pay_stays_off_without_a_merchant_id(tmp_path):
    assert yuyue(tmp_path, "check", WECHATPAY_APIV3_KEY="x").returncode == 0
