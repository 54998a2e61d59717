"""One set of diary rules, used by reading the diary and by `import` alike (SPEC §6, §13).

Two layers, both strict: no value is ever coerced.

- The shape: each diary type of schema.py (the TypedDicts) read as a checker. A score or a
  number of minutes is a JSON integer and nothing else (`4.0`, `true` and `"4"` are
  refused), every key is known, none is missing, texts keep their limits.
- The meaning, which a type cannot state: real calendar dates, times and UTC offsets,
  phases in order, unique ids, one score per activity and date, ids without control
  characters, and (for an import, which passes `today`) no date after today.

Written in plain Python rather than pydantic: `log` must check its new entry without paying
~100 ms to import pydantic (SPEC §16), and every refusal then speaks the person's language.
A problem is a `RuleError` naming the field (`entries[3].pain`) and saying what is wrong;
the caller (storage, import) words the whole message.
"""

from __future__ import annotations

import json
import re
import types
import typing
from collections.abc import Callable, Iterable
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any, Literal, Union

from rugcoach.dates import is_iso_date
from rugcoach.i18n import t
from rugcoach.safe_text import has_unsafe

if TYPE_CHECKING:
    from rugcoach.schema import Activity, Clearance, Diary, DiaryProfile, Entry, PhaseStart

MAX_ENTRIES = 200_000  # an import, and the diary it grows (SPEC §13)
MAX_IMPORT_BYTES = 64 * 1024 * 1024

_TIME = re.compile(r"(?:[01][0-9]|2[0-3]):[0-5][0-9]", re.ASCII)
_OFFSET = re.compile(r"[+-](?:0[0-9]|1[0-4]):[0-5][0-9]", re.ASCII)


class RuleError(ValueError):
    """`field` (where, as `entries[3].pain`) breaks a rule; `what` says how, in words."""

    def __init__(self, field: str, what: str) -> None:
        super().__init__(f"{field}: {what}")
        self.field = field
        self.what = what


def _shown(value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False)[:40]
    except (TypeError, ValueError):
        return type(value).__name__


# ---------------------------------------------------------------------------------- shape

Check = Callable[[Any, str], None]


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _typed_dict(shape: Any) -> Check:
    hints = typing.get_type_hints(shape, include_extras=True)
    fields = {key: _checker(hint) for key, hint in hints.items()}
    required = frozenset(shape.__required_keys__)
    known = frozenset(fields)

    def check(value: Any, where: str) -> None:
        if type(value) is not dict:
            raise RuleError(where, t("import.what.wrong_type", value=_shown(value)))
        keys = value.keys()
        if keys != known:
            for key in value:
                if key not in known:
                    raise RuleError(_join(where, str(key)), t("import.what.unknown_key"))
            for key in fields:
                if key in required and key not in value:
                    raise RuleError(_join(where, key), t("import.what.missing"))
        for key, item in value.items():
            fields[key](item, f"{where}.{key}" if where else key)

    return check


def _kind(expected: type) -> Check:
    # `type(...) is`, not isinstance: True is an int to Python, never a score to rugcoach.
    def check(value: Any, where: str) -> None:
        if type(value) is not expected:
            raise RuleError(where, t("import.what.wrong_type", value=_shown(value)))

    return check


def _literal(options: tuple[Any, ...]) -> Check:
    allowed = {(type(o), o) for o in options}

    def check(value: Any, where: str) -> None:
        try:
            ok = (type(value), value) in allowed
        except TypeError:  # a list or dict cannot be hashed: not one of the options anyway
            ok = False
        if not ok:
            raise RuleError(where, t("import.what.not_allowed", value=_shown(value)))

    return check


def _list_of(item: Check) -> Check:
    def check(value: Any, where: str) -> None:
        if type(value) is not list:
            raise RuleError(where, t("import.what.wrong_type", value=_shown(value)))
        for index, element in enumerate(value):
            item(element, f"{where}[{index}]")

    return check


def _optional(inner: Check) -> Check:
    def check(value: Any, where: str) -> None:
        if value is not None:
            inner(value, where)

    return check


def _bounded(inner: Check, metadata: Iterable[Any]) -> Check:
    low = high = shortest = longest = None
    for item in metadata:
        name = type(item).__name__
        if name == "Ge":
            low = item.ge
        elif name == "Le":
            high = item.le
        elif name == "MinLen":
            shortest = item.min_length
        elif name == "MaxLen":
            longest = item.max_length

    def check(value: Any, where: str) -> None:
        inner(value, where)
        if (low is not None and value < low) or (high is not None and value > high):
            raise RuleError(where, t("import.what.not_allowed", value=_shown(value)))
        if (shortest is not None and len(value) < shortest) or (
            longest is not None and len(value) > longest
        ):
            raise RuleError(where, t("import.what.length"))

    return check


def _checker(hint: Any) -> Check:
    """A strict checker of `hint`, one of the few forms the diary types are written in."""
    origin = typing.get_origin(hint)
    if origin is typing.Annotated:
        base, *metadata = typing.get_args(hint)
        return _bounded(_checker(base), metadata)
    if origin is Literal:
        return _literal(typing.get_args(hint))
    if origin is list:
        return _list_of(_checker(typing.get_args(hint)[0]))
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) == 1 and len(typing.get_args(hint)) == 2:
            return _optional(_checker(args[0]))
    if hint in (str, int, bool):
        return _kind(hint)
    if isinstance(hint, type) and issubclass(hint, dict) and hasattr(hint, "__total__"):
        return _typed_dict(hint)
    raise TypeError(f"diary_rules cannot check {hint!r}")  # pragma: no cover - schema changed


@cache
def checker(type_name: str) -> Check:
    """The strict checker of a diary type of schema.py, by name; `[]` after it: a list."""
    from rugcoach import schema

    if type_name.endswith("[]"):
        return _list_of(checker(type_name[:-2]))
    return _checker(getattr(schema, type_name))


def shape(type_name: str, value: Any, where: str = "") -> None:
    """`value` has exactly the shape of `type_name` (schema.py), or RuleError."""
    checker(type_name)(value, where)


# -------------------------------------------------------------------------------- meaning


def _date(value: str, field: str, today: date | None) -> None:
    if not is_iso_date(value):
        raise RuleError(field, t("rules.bad_date", value=_shown(value)))
    if today is not None and value > today.isoformat():
        raise RuleError(field, t("rules.future_date", value=_shown(value)))


def _id(value: str, field: str) -> None:
    if has_unsafe(value):
        raise RuleError(field, t("rules.id_control", value=_shown(value)))


def check_profile(profile: DiaryProfile, today: date | None = None) -> None:
    _date(profile["start_date"], "profile.start_date", today)
    for index, flag in enumerate(profile["screening_flags"]):
        _id(flag, f"profile.screening_flags[{index}]")


def check_phases(phases: list[PhaseStart], today: date | None = None) -> None:
    previous = ""
    for index, phase in enumerate(phases):
        field = f"phases[{index}].start"
        _date(phase["start"], field, today)
        if phase["start"] < previous:
            raise RuleError(field, t("rules.phase_order"))
        previous = phase["start"]


def check_entries(
    entries: list[Entry], today: date | None = None, *, where: str = "entries", start: int = 0
) -> None:
    """Real dates, times and offsets, ids unique and without control characters.

    `start`: the index of the first of `entries` in the diary (for the field names).
    """
    seen: set[str] = set()
    for index, entry in enumerate(entries, start):
        field = f"{where}[{index}]"
        entry_id = entry["id"]
        if entry_id in seen:
            raise RuleError(f"{field}.id", t("rules.duplicate_id", id=_shown(entry_id)))
        seen.add(entry_id)
        _id(entry_id, f"{field}.id")
        _date(entry["date"], f"{field}.date", today)
        time = entry["time"]
        if time is not None and not _TIME.fullmatch(time):
            raise RuleError(f"{field}.time", t("rules.bad_time", value=_shown(time)))
        offset = entry["utc_offset"]
        if offset is not None and not _OFFSET.fullmatch(offset):
            raise RuleError(f"{field}.utc_offset", t("rules.bad_offset", value=_shown(offset)))
        for key in ("done", "hard", "easy", "symptoms"):
            for n, item in enumerate(entry[key]):
                _id(item, f"{field}.{key}[{n}]")


def unique_ids(entries: list[Entry]) -> None:
    """No two entries share an id (the one rule over all entries of a diary)."""
    ids = {e["id"] for e in entries}
    if len(ids) != len(entries):
        seen: set[str] = set()
        for index, entry in enumerate(entries):
            if entry["id"] in seen:
                raise RuleError(
                    f"entries[{index}].id", t("rules.duplicate_id", id=_shown(entry["id"]))
                )
            seen.add(entry["id"])


def check_activities(activities: list[Activity], today: date | None = None) -> None:
    """Unique ids, real dates, at most one score per activity and date."""
    seen: set[str] = set()
    for index, activity in enumerate(activities):
        field = f"activities[{index}]"
        if activity["id"] in seen:
            raise RuleError(f"{field}.id", t("rules.duplicate_id", id=_shown(activity["id"])))
        seen.add(activity["id"])
        _id(activity["id"], f"{field}.id")
        _date(activity["added"], f"{field}.added", today)
        dates: set[str] = set()
        for n, score in enumerate(activity["scores"]):
            where = f"{field}.scores[{n}].date"
            _date(score["date"], where, today)
            if score["date"] in dates:
                raise RuleError(where, t("rules.rated_twice", date=score["date"]))
            dates.add(score["date"])


def check_clearances(clearances: list[Clearance], today: date | None = None) -> None:
    for index, clearance in enumerate(clearances):
        _id(clearance["id"], f"clearances[{index}].id")
        _date(clearance["date"], f"clearances[{index}].date", today)
        time = clearance["time"]
        if time is not None and not _TIME.fullmatch(time):
            raise RuleError(f"clearances[{index}].time", t("rules.bad_time", value=_shown(time)))


def check_diary(raw: Any, today: date | None = None) -> Diary:
    """`raw` as a diary of the current version: its shape, then its meaning; or RuleError."""
    shape("Diary", raw)
    diary: Diary = raw
    check_profile(diary["profile"], today)
    check_phases(diary["phases"], today)
    check_entries(diary["entries"], today)
    check_activities(diary["activities"], today)
    check_clearances(diary["clearances"], today)
    return diary
