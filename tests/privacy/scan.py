"""Reading every text column of every model for a person's traces: what erasure must leave
nowhere. Each model's CharField, TextField, EmailField (a CharField) and JSONField values are
read as the database holds them."""

from django.apps import apps
from django.db import models


def national_spellings(e164: str) -> list[str]:
    """A mainland number as people write it: +8613712345678, 13712345678, 137 1234 5678."""
    digits = e164.removeprefix("+86")
    return [e164, digits, f"{digits[:3]} {digits[3:7]} {digits[7:]}"]


def text_columns(model: type[models.Model]) -> list[str]:
    return [
        field.attname
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField | models.JSONField)
    ]


def traces(needles: list[str]) -> list[tuple[str, str, object]]:
    """(table, column, value) of every value that holds one of `needles`."""
    found = []
    for model in apps.get_models():
        columns = text_columns(model)
        if not columns:
            continue
        for row in model._base_manager.values_list(*columns):
            for column, value in zip(columns, row, strict=True):
                text = str(value) if value is not None else ""
                if any(needle in text for needle in needles):
                    found.append((model._meta.db_table, column, value))
    return found
