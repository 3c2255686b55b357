"""My cards: the member cards a signed-in customer holds, at every business, with what is
left, when they end and every movement (docs/cards.md)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from yuyue.cards.selectors import card_history, cards_of_holder
from yuyue.lib.localtime import local_time_label
from yuyue.webkit.pages import page


@login_required
@require_GET
def my_cards(request: HttpRequest) -> HttpResponse:
    rows = []
    for card in cards_of_holder(user=request.user):
        zone_name = str(card.zone)
        rows.append(
            {
                "card": card,
                "balance": card.balance,
                "expires": None
                if card.expires_at is None
                else local_time_label(card.expires_at, zone_name),
                "history": [
                    {
                        "entry": entry,
                        "when": local_time_label(entry.created_at, zone_name),
                        # What a stored value card's movement changed, principal and bonus.
                        "amount": entry.principal + entry.bonus,
                    }
                    for entry in card_history(card=card)
                ],
            }
        )
    return page(request, "web/cards.html", {"rows": rows})
