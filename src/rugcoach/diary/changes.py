"""A proposed diary checked cheaply: the entries it keeps from the file it replaces are
valid already, so only what is new is checked (and the one rule over all entries, unique
ids). What is written is always the text that was checked (SPEC §13). `splice` is the
cheapest change of all, `log`'s: one line added to a sealed file, read only in part.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rugcoach.diary import codec, layout
from rugcoach.diary import rules as diary_rules
from rugcoach.diary.edits import add_entry
from rugcoach.errors import RugcoachError
from rugcoach.i18n import t

if TYPE_CHECKING:
    from collections.abc import Callable, Container

    from rugcoach.schema import Diary, Entry


def copy_entry(entry: Any) -> Any:
    """An entry whose lists are its own: changing the copy leaves the original as it was.
    (Its other values are strings, numbers and None, which cannot be changed in place.)"""
    return {
        **entry,
        "done": [*entry["done"]],
        "hard": [*entry["hard"]],
        "easy": [*entry["easy"]],
        "symptoms": [*entry["symptoms"]],
    }


def appended(
    proposed: Any, originals: list[Any] | None, old: bytes | None
) -> tuple[Diary, bytes] | None:
    """The usual change (`log`), cheaply: the entries of the sealed file `old` (parsed as
    `originals`; `change` got copies) left as they were and new ones after them. Then the
    new file is the old entry lines as they are, and only the rest is made and checked. None
    when the change is not of that kind (then `check_change` does it all).

    An old entry counts as left as it was if its copy still equals the original: then the
    original is what is returned and its bytes are what is written, whatever was done to
    the copy (a change that edited it into something unequal is not of this kind).
    """
    if originals is None or old is None or not isinstance(proposed, dict):
        return None
    entries = proposed.get("entries")
    count = len(originals)
    if type(entries) is not list or len(entries) <= count:
        return None
    old_lines = layout.entry_lines(old)
    if old_lines is None or entries[:count] != originals:
        return None
    fresh = entries[count:]
    probe: Any = {**proposed, "entries": fresh}
    try:
        tail = layout.dump(probe)
        diary_rules.check_diary(probe)
        new: Any = {**probe, "entries": [*originals, *fresh]}
        diary_rules.unique_ids(new["entries"])
    except (KeyError, TypeError, ValueError, AttributeError, IndexError, RecursionError):
        return None  # the full check names what is wrong, with the diary's own indexes
    at = tail.find(layout.ENTRIES_START) + len(layout.ENTRIES_START)
    return new, tail[:at] + old_lines + b",\n" + tail[at:]


def check_change(proposed: Any, old: bytes | None, old_count: int) -> tuple[Diary, bytes]:
    """`proposed` checked, and its bytes; or `codec.Bad`.

    `old` is the valid diary file the change was made to, holding `old_count` entries.
    Only entries are costly to check, and a change keeps most of them: an entry written in
    the new file exactly as an entry of `old` is valid already, whatever object holds it (an
    entry edited in place is written differently, and so checked). Everything else is
    checked in full, and the one rule over all entries (unique ids) too. What is written is
    the text that was checked.
    """
    old_lines = layout.entry_lines(old) if old is not None else None
    if not old_lines or not isinstance(proposed, dict) or type(proposed.get("entries")) is not list:
        diary = codec.check(proposed)
        return diary, layout.dump(diary)
    try:
        data = layout.dump(proposed)  # type: ignore[arg-type]
    except (KeyError, TypeError, ValueError, AttributeError, IndexError, RecursionError):
        diary = codec.check(proposed)  # not even writable: the full check says why
        return diary, layout.dump(diary)
    entries = proposed["entries"]
    new_lines = layout.entry_lines(data) or b""
    if new_lines == old_lines or new_lines.startswith(old_lines + b",\n"):
        # The usual change (log): the old entries, unchanged and in order, then new ones.
        fresh = list(range(old_count, len(entries)))
    else:
        known = {line.rstrip(b",") for line in old_lines.split(b"\n")}
        fresh = [
            i for i, line in enumerate(new_lines.split(b"\n")) if line.rstrip(b",") not in known
        ]
    if len(fresh) * 4 > len(entries):
        return codec.check(proposed), data  # mostly new anyway: one full check is simpler
    try:
        diary_rules.check_diary({**proposed, "entries": [entries[i] for i in fresh]})
    except diary_rules.RuleError as exc:
        # The probe's entry k is the diary's entry fresh[k]: name the diary's.
        match = re.match(r"entries\[([0-9]+)\]", exc.field)
        field = exc.field
        if match:
            field = f"entries[{fresh[int(match[1])]}]" + field[match.end() :]
        raise codec.bad_rule(diary_rules.RuleError(field, exc.what)) from None
    try:
        diary_rules.unique_ids(entries)
    except diary_rules.RuleError as exc:
        raise codec.bad_rule(exc) from None
    return proposed, data  # type: ignore[return-value]


@dataclass
class Prepared:
    """A change made and checked, not yet saved: the new diary and its bytes, the version
    of the file it replaces and whether it removes entries; for `append`, the diary before,
    the entry, and the index of the new bytes when known."""

    diary: Diary
    data: bytes
    old_version: int | None
    removed: bool
    before: Diary | None = None
    entry: Entry | None = None
    index: layout.Index | None = None


class _IdsIn:
    """The ids of a diary file's entries, asked one at a time by a byte search."""

    def __init__(self, data: bytes, block: tuple[int, int]) -> None:
        self._data, self._block = data, block

    def __contains__(self, entry_id: object) -> bool:
        return isinstance(entry_id, str) and layout.has_id(self._data, self._block, entry_id)


def splice(
    data: bytes,
    before: Diary,
    block: tuple[int, int],
    make: Callable[[Diary, Container[str]], Entry],
    index: layout.Index | None,
) -> Prepared | None:
    """The entry `make` gives, added to the sealed diary file `data` without parsing or
    checking its old entries again: `before` is the diary read from `data` in part (its
    head checked already), `block` where its entry lines lie, `index` that of `data`. Only
    the new entry is checked; the ids are searched in the bytes; the new line is spliced in
    after the old ones, which stay byte for byte. None where this does not apply (the
    caller then reads and checks the whole diary, which says what is wrong)."""
    entry = make(before, _IdsIn(data, block))
    if layout.has_id(data, block, entry["id"]):
        return None  # the full check refuses the duplicate and says so
    probe: Any = {**before, "entries": [entry]}
    try:
        diary_rules.check_diary(probe)
        line = layout.entry_lines(layout.dump(probe))
    except diary_rules.RuleError as exc:
        what = codec.bad_rule(exc).what
        raise RugcoachError(t("storage.invalid_change", what=what)) from None
    except (KeyError, TypeError, ValueError, AttributeError, IndexError, RecursionError):
        return None
    if line is None:
        return None
    whole = memoryview(data)  # one copy of megabytes, not three
    new_data = b"".join((whole[: block[1]], b",\n", line, whole[block[1] :]))
    after = add_entry(before, entry)
    new_index = index.appended(line) if index is not None else None
    return Prepared(after, new_data, codec.VERSION, False, before, entry, new_index)
