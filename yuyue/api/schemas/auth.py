import datetime as dt
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field

from yuyue.accounts.services import MAX_PASSWORD_LENGTH
from yuyue.api.schemas.common import InputSchema, Page, line

Username = Annotated[
    str,
    Field(
        min_length=1,
        max_length=150,
        pattern=r"^[\w.@+-]+$",
        description="Letters, digits and @ . + - _ only.",
        examples=["xiaomei"],
    ),
]
Password = Annotated[str, Field(min_length=1, max_length=MAX_PASSWORD_LENGTH)]
Language = Literal["zh-hans", "en"]


class RegisterIn(InputSchema):
    username: Username
    password: Password = Field(
        description="At least 8 characters, not too common, not all digits, not like the name."
    )
    phone: line(32) = Field(
        description="Mainland numbers may omit +86; stored as E.164.", examples=["13800138000"]
    )
    email: line(254, min_length=0) = ""
    display_name: line(100, min_length=0) = Field(
        "", description="How the shop calls the person, as written (optional).", examples=["张小美"]
    )
    language: Language | None = Field(
        None,
        description=(
            "For messages sent to this user. Unset: the request's Accept-Language when it "
            "names one of ours, else each business's own language."
        ),
    )


class LoginIn(InputSchema):
    username: line(150)
    password: Password


class PasswordIn(InputSchema):
    current_password: Password
    new_password: Password


Phone = Annotated[
    str,
    Field(
        min_length=1,
        max_length=32,
        pattern=r"^[^\x00-\x1f\x7f]*$",
        description="Mainland numbers may omit +86; stored as E.164.",
        examples=["13800138000"],
    ),
]
Code = Annotated[str, Field(min_length=1, max_length=16, examples=["123456"])]


class DeleteAccountIn(InputSchema):
    password: Password | None = Field(None, description="The account's password, or:")
    phone_code: Code | None = Field(
        None,
        description="A `login` code just texted to the account's verified phone "
        "(`POST /auth/sms/send`), for accounts made by code, which have no password.",
    )


class SmsSendIn(InputSchema):
    phone: Phone
    purpose: Literal["login", "reset"] = Field(
        "login", description="`login` signs in (the first time makes the account); `reset`."
    )


class SmsSendOut(Schema):
    detail: str
    expires_in: int = Field(description="Seconds the code stays valid.")
    resend_after: int = Field(description="Seconds before another code may be asked for.")


class SmsVerifyIn(InputSchema):
    phone: Phone
    code: Code


class PasswordResetIn(InputSchema):
    phone: Phone
    code: Code
    new_password: Password


class UserOut(Schema):
    id: int
    username: str
    display_name: str = Field(description="As the person wrote it; may be empty.")
    phone: str = Field(description="E.164, e.g. +8613800138000.")
    phone_verified: bool = Field(description="Proved by a texted code.")
    email: str
    language: str = Field(description="zh-hans or en; empty: each business's own language.")


class TokenOut(Schema):
    token: str = Field(description="Send as `Authorization: Bearer <token>`. Shown only once.")
    token_type: Literal["Bearer"] = "Bearer"
    expires_at: dt.datetime
    user: UserOut


class MembershipOut(Schema):
    slug: str
    name: str
    role: Literal["owner", "staff"]


class MembershipPage(Page):
    items: list[MembershipOut]


class PersonalDataOut(Schema):
    """Everything held about the caller ("My data"); times ISO 8601 in UTC."""

    exported_at: dt.datetime
    account: dict[str, str | None] = Field(
        description="username, display_name, first_name, last_name, phone, email, language, "
        "date_joined, last_login"
    )
    consents: list[dict[str, str | int | None]] = Field(
        description="Each agreement to the privacy policy: policy_version, occasion, accepted_at."
    )
    wechat_identities: list[dict[str, str | None]]
    wechat_subscriptions: list[dict[str, str | int | None]]
    appointments: list[dict[str, str | None]] = Field(
        description="As the customer: with the notes shown to them, never a business's own notes."
    )
    messages: list[dict[str, str | None]] = Field(description="Messages sent to the caller.")
