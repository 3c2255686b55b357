"""Version 1 of the privacy policy, so there is one to agree to from the first start. The
operator publishes their own as version 2 and later (the admin: Privacy policies → Add)."""

import datetime as dt

from django.db import migrations

BODY_ZH = """本隐私政策说明预约服务（以下简称“本服务”）如何处理您的个人信息。

我们收集的信息：您注册或预约时填写的用户名、称呼、手机号码、电子邮箱；您的预约记录（商家、服务、时间、状态、备注）；通过微信小程序登录时的微信标识（openid）及您授权的手机号码；为保障安全而记录的登录与操作日志。

使用目的：为您办理、确认、改约和取消预约；通过短信、电子邮件或微信订阅消息向您发送预约通知和提醒；防止滥用与保障账号安全。我们不会将您的信息用于与上述目的无关的用途，也不会出售您的个人信息。

共享：您预约的商家可以看到完成预约所需的信息（称呼、手机号码、预约记录及您填写的备注）。短信通过腾讯云短信发送，微信消息通过微信发送，邮件通过我们配置的邮件服务器发送；它们只为发送消息而处理必要的信息。

保存期限：账号存续期间保存您的信息；您注销账号后，我们删除或匿名化您的个人信息，商家仅保留不含个人信息的统计数据，法律法规另有规定的除外。

您的权利：您可以在“我的数据”中查看并下载我们持有的您的信息，更正您的资料，撤回同意或申请注销账号。如有疑问，请联系您预约的商家或本服务的运营者。

本政策更新时，我们会在此公布新版本并请您再次同意。"""

BODY_EN = """This privacy policy explains how this booking service ("the service") handles your personal information.

What we collect: the username, name, phone number and email address you give when you register or book; your appointments (business, service, time, status, notes); when you sign in with the WeChat mini program, your WeChat identifier (openid) and the phone number you allow us to read; sign-in and activity logs kept for security.

Why: to make, confirm, reschedule and cancel your appointments; to send you booking messages and reminders by text message, email or WeChat subscribe message; to prevent abuse and keep your account safe. We use your information for nothing else and never sell it.

Who else sees it: the businesses you book with see what a booking needs (your name, phone number, your appointments and the notes you wrote). Text messages are sent through Tencent Cloud SMS, WeChat messages through WeChat, email through the mail server this service is configured with; each processes only what sending needs.

How long: while your account exists. When you delete your account we erase or anonymise your personal information; the businesses keep only figures without personal information, unless the law requires otherwise.

Your rights: under "My data" you can see and download what we hold about you, correct your details, withdraw consent or ask to delete your account. For questions, contact the business you booked with or the operator of this service.

When this policy changes we publish the new version here and ask for your agreement again."""


def publish(apps, schema_editor):
    PrivacyPolicy = apps.get_model("accounts", "PrivacyPolicy")
    if not PrivacyPolicy.objects.exists():
        PrivacyPolicy.objects.create(
            version=1,
            body_zh=BODY_ZH,
            body_en=BODY_EN,
            effective_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0007_privacy_policy_and_consents")]

    operations = [migrations.RunPython(publish, migrations.RunPython.noop)]
