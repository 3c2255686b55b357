"""The mini program's WeChat login, phone binding and subscribe-message consents."""

from django.http import HttpRequest
from ninja import Router

from yuyue.api.auth import bearer
from yuyue.api.routers.auth import token_out
from yuyue.api.schemas.auth import TokenOut
from yuyue.api.schemas.common import errors
from yuyue.api.schemas.wechat import (
    ConsentIn,
    ConsentList,
    WeChatCodeIn,
    WeChatLoginIn,
    WeChatLoginOut,
)
from yuyue.customers.services import customer_link_verified_phone
from yuyue.lib.throttle import LoginPerIp
from yuyue.wechat.services import subscribe_consent_record, wechat_login, wechat_phone_bind

router = Router(tags=["wechat"])


@router.post(
    "/auth/wechat",
    response={200: WeChatLoginOut, **errors(400, 404, 409, 422, 429, 503)},
    throttle=[LoginPerIp()],
    summary="Log in with WeChat: a bearer token for wx.login's code",
)
def login(request: HttpRequest, payload: WeChatLoginIn) -> dict:
    """The server exchanges `code` with WeChat (`jscode2session`) for the user's openid. A
    first visit creates an account; `needs_phone` says it has no phone number yet. A used
    or unknown code is 422 `wechat_code_invalid` (call wx.login again); 404
    `wechat_not_configured` when the server has no mini program."""
    result = wechat_login(code=payload.code, language=payload.language or "")
    user = result.issued.token.user
    return {
        **token_out(result.issued),
        "created": result.created,
        "needs_phone": not user.phone,
    }


@router.post(
    "/auth/wechat/phone",
    auth=bearer,
    response={200: TokenOut, **errors(400, 401, 404, 409, 422, 429, 503)},
    summary="Bind the phone number from WeChat's phone-number button",
)
def bind_phone(request: HttpRequest, payload: WeChatCodeIn) -> dict:
    """The code from `getPhoneNumber`: WeChat's word that the number is the user's. It goes on
    the caller's account, and the businesses' customer records with that number (walk-ins,
    phone bookings) become this account's, with their appointments. Another account with the
    number is never taken over. A number on the account of another WeChat user is 409
    `phone_bound_elsewhere`."""
    issued = wechat_phone_bind(actor=request.auth, code=payload.code)
    user = issued.token.user
    customer_link_verified_phone(user=user, phone=user.phone)
    return token_out(issued)


@router.post(
    "/me/wechat/subscriptions",
    auth=bearer,
    response={200: ConsentList, **errors(400, 401, 422)},
    summary="Record what the user accepted in wx.requestSubscribeMessage",
)
def record_consent(request: HttpRequest, payload: ConsentIn) -> dict:
    """Send the `success` result of wx.requestSubscribeMessage (without `errMsg`). Each
    `accept` of a one-time template allows one more message of it."""
    consents = subscribe_consent_record(actor=request.auth, results=payload.results)
    return {
        "items": [
            {"template_id": c.template_id, "remaining": c.remaining, "last_answer": c.last_answer}
            for c in consents
        ]
    }
