"""Bounded input types shared by every REST router: identifiers, positions and pagination that the databases can
hold, and the base class of every input object (unknown fields refused, no lax coercion).

An unbounded `int` lets a client send 99999999999999999999, which SQLite cannot bind (OverflowError, a 500) and
which no row can have; bounding it in the schema answers 422 with the limit documented in OpenAPI instead.
"""

from typing import Annotated, Any

from annotated_types import Ge, Le
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import BeforeValidator, ConfigDict
from pydantic_core import PydanticCustomError

#: The largest value of a 64-bit signed integer column (BigAutoField on PostgreSQL, INTEGER on SQLite).
LARGEST_ID = 2**63 - 1
#: How far a client may page into a list; beyond it, narrow the query with filters instead.
LARGEST_OFFSET = 10_000_000
LARGEST_PAGE = 500
#: The largest item position of an attempt (a PositiveSmallIntegerField).
LARGEST_POSITION = 32_767


def _whole_number(value):
    """Refuse what lax validation would turn into an integer although JSON says otherwise: `true` (read as 1) and
    a string (`"7"`). A number with a zero fraction (7.0) is an integer in JSON Schema, so it is accepted."""
    if isinstance(value, (bool, str)):
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    return value


def whole_number(minimum: int, maximum: int):
    """An integer from `minimum` to `maximum` inside a JSON body: `true` and `"7"` are refused, 7.0 is 7.

    The bounds come before the validator so that they stay `minimum`/`maximum` in the published schema."""
    return Annotated[int, Ge(minimum), Le(maximum), BeforeValidator(_whole_number)]


ObjectId = Annotated[int, Ge(1), Le(LARGEST_ID)]
#: An id inside a JSON body: as ObjectId, and `true` or `"7"` is refused rather than read as 1 or 7.
StrictObjectId = whole_number(1, LARGEST_ID)
Position = Annotated[int, Ge(1), Le(LARGEST_POSITION)]


def not_nullable(schema: dict) -> None:
    """`json_schema_extra` of an optional field that may be left out but never sent as null: the schema then shows
    the plain type, without the `"default": null` that would invite a client to send null."""
    schema.pop("default", None)


class InputSchema(Schema):
    """The base of every request body: a field the API does not know is refused (422), never silently dropped.

    Not strict as a whole (ninja validates the parsed JSON in Python mode, where strict would refuse a date written
    as a string); numbers and booleans are made strict field by field (whole_number, StrictObjectId,
    pydantic.StrictBool)."""

    model_config = ConfigDict(extra="forbid")


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    """`limit` (1–500, default 50) and `offset` (0–10 000 000) with their limits stated in the schema."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=LARGEST_PAGE, description="Số mục mỗi trang (1–500).")
        offset: int = Field(0, ge=0, le=LARGEST_OFFSET, description="Bỏ qua bao nhiêu mục đầu (0–10 000 000).")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=LARGEST_PAGE, **kwargs)
