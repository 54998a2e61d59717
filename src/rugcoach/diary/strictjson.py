"""JSON read strictly: what a person's health file must not quietly get wrong.

The standard parser keeps the last of two equal keys (silently dropping the first value)
and accepts NaN and Infinity, which are not JSON. Both are refused here, with a sentence
in the person's language; the caller decides which error that becomes.
"""

from __future__ import annotations

import json
from typing import Any

from rugcoach.i18n import t


class StrictJSONError(ValueError):
    """The text is JSON Python would accept, but not JSON rugcoach will trust."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise StrictJSONError(t("storage.what.duplicate_key", key=key))
            seen.add(key)
    return obj


def _constant(name: str) -> Any:
    raise StrictJSONError(t("storage.what.not_a_number", value=name))


def loads(text: str) -> Any:
    """`json.loads`, refusing duplicate keys, NaN / Infinity and numbers too long to convert
    (StrictJSONError); text that is not JSON raises json.JSONDecodeError."""
    try:
        return json.loads(text, object_pairs_hook=_object, parse_constant=_constant)
    except (StrictJSONError, json.JSONDecodeError):
        raise
    except ValueError:
        # Python refuses to convert an integer of more than 4,300 digits (a guard against
        # slow conversions); no value in a diary comes near that.
        raise StrictJSONError(t("storage.what.huge_number")) from None
