"""The privacy policy in force, in the page's language."""

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.decorators.http import require_GET

from yuyue.accounts.selectors import current_privacy_policy
from yuyue.webkit.pages import page


@require_GET
def privacy_page(request: HttpRequest) -> HttpResponse:
    policy = current_privacy_policy()
    body = policy.body(translation.get_language()) if policy is not None else ""
    return page(request, "web/privacy.html", {"policy": policy, "body": body})
