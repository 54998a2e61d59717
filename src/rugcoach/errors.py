"""The one error type: what went wrong, for the person, and the exit code it earns."""

from __future__ import annotations

USAGE = 2  # the command line is wrong
FAILURE = 1  # anything else that stopped the work


class RugcoachError(Exception):
    """Raised anywhere; caught once, in `cli.main`, printed as one line on stderr.

    `message` is already in the user's language (built with `i18n.t`).
    """

    def __init__(self, message: str, code: int = FAILURE) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class UsageError(RugcoachError):
    def __init__(self, message: str) -> None:
        super().__init__(message, USAGE)
