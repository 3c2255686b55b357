"""Field types and shapes every area of the API shares: ids, text, money, times, errors, pages."""

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import BeforeValidator, ConfigDict, Field

# Ids are 64-bit integers in the database; anything larger cannot name a row.
MAX_ID = 2**63 - 1
MAX_OFFSET = 2**31 - 1
DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def whole(value: object) -> object:
    """JSON has one number type: 5.0 is the integer 5 (and stays refused if it is 5.5)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


Id = Annotated[int, Field(ge=1, le=MAX_ID), BeforeValidator(whole)]
Slug = Annotated[
    str,
    Field(
        min_length=1,
        max_length=50,
        pattern=r"^[-a-zA-Z0-9_]+$",
        description="The business's short name in URLs (letters, digits, - and _).",
        examples=["demo"],
    ),
]
AppointmentId = Annotated[
    str,
    Field(
        min_length=1,
        max_length=32,
        pattern=r"^[-A-Za-z0-9_]+$",
        description="The appointment's opaque public id.",
        examples=["kq3V9d2mXb8tR1aP"],
    ),
]

# No control characters in one-line text; PostgreSQL refuses NUL anywhere, so free text
# (which may span lines) still excludes it.
_LINE = r"^[^\x00-\x1f\x7f]*$"
_TEXT = r"^[^\x00]*$"


def line(max_length: int, *, min_length: int = 1, **extra: Any) -> Any:
    """A one-line text field of at most `max_length` characters."""
    return Annotated[
        str, Field(min_length=min_length, max_length=max_length, pattern=_LINE, **extra)
    ]


def text(max_length: int, **extra: Any) -> Any:
    """Free text that may span lines."""
    return Annotated[str, Field(max_length=max_length, pattern=_TEXT, **extra)]


Money = Annotated[
    str,
    Field(
        pattern=r"^\d{1,8}(\.\d{1,2})?$",
        description="An amount as a decimal string, never a float.",
        examples=["128.00"],
    ),
]


def money(amount: Decimal) -> str:
    return str(amount.quantize(Decimal("0.01")))


_DATETIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)?$",
    re.IGNORECASE,
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _parse_datetime(value: object) -> dt.datetime:
    if isinstance(value, str) and _DATETIME.match(value):
        text_value = value.upper()
        # Python reads microseconds; a client's nanoseconds lose their last three digits.
        text_value = re.sub(r"(\.\d{6})\d+", r"\1", text_value)
        try:
            return dt.datetime.fromisoformat(text_value)
        except ValueError:
            pass
    raise ValueError(_("Enter a date and time like 2026-12-01T09:00:00+08:00."))


def _parse_date(value: object) -> dt.date:
    if isinstance(value, str) and _DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(_("Enter a date like 2026-12-01."))


LocalDateTime = Annotated[
    dt.datetime,
    BeforeValidator(_parse_datetime),
    Field(
        description=(
            "ISO 8601. With an offset it is taken as given; without one it is wall-clock time "
            "in the business's zone (the location's, where it has its own)."
        ),
        examples=["2026-12-01T09:00:00+08:00"],
    ),
]
LocalDate = Annotated[
    dt.date,
    BeforeValidator(_parse_date),
    Field(description="A local date, YYYY-MM-DD.", examples=["2026-12-01"]),
]


class InputSchema(Schema):
    """A request body: fields it does not know are refused, so a typo is an error, not a no-op,
    and values must have their JSON type (no "5" for 5, no 0 for false)."""

    model_config = ConfigDict(extra="forbid", strict=True)


# Errors -------------------------------------------------------------------------------------


class ErrorBody(Schema):
    code: str = Field(examples=["not_found"])
    message: str = Field(description="For people, in the request's language.")
    details: dict[str, Any] | None = None


class ErrorOut(Schema):
    error: ErrorBody


class ValidationDetails(Schema):
    fields: dict[str, list[str]] = Field(description="Field name → its problems.")


class ValidationErrorBody(ErrorBody):
    code: str = Field(examples=["validation_error"])
    details: ValidationDetails


class ValidationErrorOut(Schema):
    error: ValidationErrorBody


class SlotOut(Schema):
    start: dt.datetime
    end: dt.datetime
    staff_ids: list[int]
    remaining: int = Field(description="Seats left; more than 1 only for group services.")


class SeriesConflictOut(Schema):
    start: dt.datetime
    alternatives: list[SlotOut]


class ConflictDetails(Schema):
    alternatives: list[SlotOut] | None = Field(
        None, description="With slot_unavailable: up to 3 nearest free starts."
    )
    fields: dict[str, list[str]] | None = Field(
        None, description="With duplicate: which value is already taken."
    )
    conflicts: list[SeriesConflictOut] | None = Field(
        None,
        description="With series_conflict: each start that cannot be booked, with its nearest "
        "free starts. Nothing of the series was booked.",
    )


class ConflictBody(ErrorBody):
    code: str = Field(
        description="slot_unavailable, invalid_transition, cutoff_passed, duplicate, "
        "booking_limit, no_show_rule or series_conflict.",
        examples=["slot_unavailable"],
    )
    details: ConflictDetails | None = None


class ConflictOut(Schema):
    error: ConflictBody


_ERROR_SCHEMAS = {409: ConflictOut, 422: ValidationErrorOut}


def errors(*statuses: int) -> dict[int, type[Schema]]:
    """The error responses an operation documents, each in the one error shape."""
    return {status: _ERROR_SCHEMAS.get(status, ErrorOut) for status in statuses}


# Lists ---------------------------------------------------------------------------------------


class PageIn(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page.")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Items to skip.")


class Page(Schema):
    count: int = Field(description="Items in the whole list, not just this page.")
    limit: int
    offset: int


def page_of(rows: Any, page: PageIn, present: Any) -> dict[str, Any]:
    """One page of a queryset (counted and sliced in SQL) or list, each row presented."""
    count = rows.count() if hasattr(rows, "count") and not isinstance(rows, list) else len(rows)
    chunk = rows[page.offset : page.offset + page.limit]
    return {
        "count": count,
        "limit": page.limit,
        "offset": page.offset,
        "items": [present(row) for row in chunk],
    }
