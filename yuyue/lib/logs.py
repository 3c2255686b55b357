"""Logging filters for the server log."""

import logging


class RefusalsWithoutTraceback(logging.Filter):
    """A 4xx (a refused permission, a missing page) is the client's doing, not a fault of the
    server: Django logs it with the exception's traceback, which buries the real errors, so
    it keeps its one line ("Forbidden (Permission denied): /path") and loses the traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
