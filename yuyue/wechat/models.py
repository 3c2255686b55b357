from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WeChatIdentity(models.Model):
    """A WeChat user of one mini program (appid + openid), linked to one Yuyue account."""

    appid = models.CharField(_("AppID"), max_length=64)
    openid = models.CharField(_("OpenID"), max_length=128)
    # Shared by the mini programs and official accounts of one WeChat Open Platform account,
    # so a second app's identity can find the same person.
    unionid = models.CharField(_("UnionID"), max_length=128, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="wechat_identities",
        verbose_name=_("user"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("WeChat identity")
        verbose_name_plural = _("WeChat identities")
        constraints = [
            models.UniqueConstraint(fields=["appid", "openid"], name="wechat_identity_once"),
            # One WeChat user per account and app: binding a phone never merges two of them.
            models.UniqueConstraint(fields=["appid", "user"], name="wechat_identity_per_user"),
        ]
        indexes = [models.Index(fields=["unionid"], name="wechat_identity_unionid")]

    def __str__(self) -> str:
        return f"{self.appid}:{self.openid}"


class SubscribeConsent(models.Model):
    """What a user accepted of one subscribe-message template.

    One-time subscriptions are counted: each "accept" allows one message, each message sent
    uses one up. WeChat keeps the same count; ours decides whether to try.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="wechat_consents",
        verbose_name=_("user"),
    )
    template_id = models.CharField(_("template id"), max_length=128)
    remaining = models.PositiveIntegerField(_("messages allowed"), default=0)
    accepted_total = models.PositiveIntegerField(_("times accepted"), default=0)
    last_answer = models.CharField(_("last answer"), max_length=10, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("subscribe consent")
        verbose_name_plural = _("subscribe consents")
        constraints = [
            models.UniqueConstraint(fields=["user", "template_id"], name="wechat_consent_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.template_id} · {self.remaining}"
