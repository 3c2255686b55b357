"""Helpers the services share for validated writes."""

from django.core.exceptions import ValidationError
from django.db import models

from yuyue.lib.errors import InvalidInput


def clean_and_save(instance: models.Model, *, update_fields: list[str] | None = None) -> None:
    """Run the model's validation and save, turning problems into InvalidInput by field."""
    try:
        instance.full_clean()
    except ValidationError as error:
        raise InvalidInput.from_validation_error(error) from None
    instance.save(update_fields=update_fields)
