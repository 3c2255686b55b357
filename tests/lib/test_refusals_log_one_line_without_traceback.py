"""A 403 (PermissionDenied, or a refused action) writes one line to the server log, not a
traceback; a 500 keeps its traceback."""

import logging

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils.log import log_response

from yuyue.lib.logs import RefusalsWithoutTraceback


def console_handler() -> logging.Handler:
    """The handler the settings' LOGGING installs on the root logger."""
    for handler in logging.getLogger().handlers:
        if any(isinstance(f, RefusalsWithoutTraceback) for f in handler.filters):
            return handler
    raise AssertionError("the console handler has no RefusalsWithoutTraceback filter")


def logged(status: int, error: Exception) -> str:
    handler = console_handler()
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    keep = Keep()
    logger = logging.getLogger("django.request")
    logger.addHandler(keep)
    try:
        try:
            raise error
        except Exception as caught:
            log_response(
                "Refused: %s",
                "/manage/",
                response=HttpResponse(status=status),
                request=RequestFactory().get("/manage/"),
                exception=caught,
            )
    finally:
        logger.removeHandler(keep)
    (record,) = records
    assert handler.filter(record)
    return handler.format(record)


def test_a_permission_denied_is_one_line():
    text = logged(403, PermissionDenied("no"))
    assert text == "Refused: /manage/"
    assert "Traceback" not in text


def test_a_server_error_keeps_its_traceback():
    text = logged(500, RuntimeError("boom"))
    assert "Traceback" in text
    assert "RuntimeError: boom" in text
