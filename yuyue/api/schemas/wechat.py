from typing import Literal

from ninja import Schema
from pydantic import Field

from yuyue.api.schemas.auth import Language, TokenOut
from yuyue.api.schemas.common import InputSchema, line

Answer = Literal["accept", "reject", "ban", "filter"]


class WeChatCodeIn(InputSchema):
    code: line(128) = Field(description="The code from wx.login (or from the phone button).")


class WeChatLoginIn(WeChatCodeIn):
    language: Language | None = Field(
        None, description="For a new account's messages; unset: each business's language."
    )


class WeChatLoginOut(TokenOut):
    created: bool = Field(description="True when this WeChat user was seen for the first time.")
    needs_phone: bool = Field(
        description="No phone number yet: ask for one with the phone-number button."
    )


class ConsentIn(InputSchema):
    results: dict[line(128), Answer] = Field(
        description="What wx.requestSubscribeMessage reported: template id → answer.",
        examples=[{"TEMPLATE_ID": "accept"}],
    )


class ConsentOut(Schema):
    template_id: str
    remaining: int = Field(description="Messages this template may still carry to you.")
    last_answer: str


class ConsentList(Schema):
    items: list[ConsentOut]
