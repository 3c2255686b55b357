from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CardsConfig(AppConfig):
    name = "yuyue.cards"
    verbose_name = _("Member cards")

    def ready(self) -> None:
        from yuyue.bookings.hooks import on_event
        from yuyue.cards.services import (
            PURCHASE,
            card_follow_appointment,
            card_purchase_paid,
            cards_expire,
            cards_merge,
        )
        from yuyue.customers.hooks import on_merge
        from yuyue.lib.worker_steps import register
        from yuyue.payments.hooks import on_sale_paid

        # A card's reservation follows its appointment: released on a cancellation, used at
        # check-in or completion (docs/cards.md#booking-with-a-card).
        on_event("cards", card_follow_appointment)
        # The worker expires cards once their last day is over (idempotent, so every round).
        register("cards", cards_expire)
        # One person's two records merged: the cards of the one that goes join the other.
        on_merge("cards", cards_merge)
        # A card bought online is made when WeChat Pay says it is paid (docs/cards.md#money).
        on_sale_paid(PURCHASE, card_purchase_paid)
