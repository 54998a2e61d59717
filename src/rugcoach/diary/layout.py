"""How a diary file is laid out, and how to read parts of it without parsing the rest.

`dump` writes a diary as UTF-8 JSON: the small parts indented, then the entries one per
line (`  {"id": "…", "date": "YYYY-MM-DD", …}`), separated by ",\n". Because rugcoach
writes every byte of that layout, a file it wrote and sealed (diary.store) can be read in
parts: the head, and only the entry lines a view needs.

An `Index` of such a file says where each month's entries lie (the first byte of the
first line and the end of the last, relative to the entry block) and where every entry
that notes a warning sign lies. It is derived data, kept next to the seal: with it,
`today` on thirty years of entries reads a few hundred lines instead of 33,000, and `log`
appends a line without parsing the others. Without it (or if it does not fit the file),
everything still works, only slower.
"""

from __future__ import annotations

import contextlib
import gc
import json
import zlib
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    # Types only: the schema pulls in annotated_types, which `today` must not pay for.
    from rugcoach.schema import Diary

# After this, one entry a line, each starting with two spaces and the brace; the first line
# that does not ends them.
ENTRIES_START = b'\n "entries": [\n'
ENTRIES_END = b"\n ]"
# How `dump` writes an entry that notes no warning sign.
NO_SYMPTOMS = b'"symptoms": []'
# What stands before an entry's date: the key order is fixed, and a quote inside a string
# is always escaped, so the first such sequence on a line is the date's.
_DATE_KEY = b'", "date": "'
_SEP = b",\n"


@contextlib.contextmanager
def no_gc() -> Iterator[None]:
    """The cyclic garbage collector paused while JSON is parsed.

    Parsed JSON holds no reference cycles, yet ten years of entries (tens of thousands of
    new dicts and lists) set off collection after collection: ~15 ms of a 35 ms parse.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# --------------------------------------------------------------------------- writing


@cache
def _key_order() -> dict[str, tuple[str, ...]]:
    """Each object's keys in schema order (read from the TypedDicts, on the first write)."""
    from rugcoach import schema

    shapes = {
        "diary": schema.Diary,
        "profile": schema.DiaryProfile,
        "phase": schema.PhaseStart,
        "entry": schema.Entry,
        "activity": schema.Activity,
        "score": schema.ActivityScore,
        "clearance": schema.Clearance,
    }
    return {name: tuple(shape.__annotations__) for name, shape in shapes.items()}


def _ordered(obj: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    if tuple(obj) == keys:
        return obj  # already in order: every entry read from a file rugcoach wrote
    out = {key: obj[key] for key in keys if key in obj}
    if len(out) != len(obj):  # keys the schema does not know (never, after validation)
        out.update((key, obj[key]) for key in sorted(obj) if key not in out)
    return out


def _canonical(diary: Diary) -> dict[str, Any]:
    """The diary with its keys in schema order, so the file is stable and diffable."""
    keys = _key_order()
    out = _ordered(dict(diary), keys["diary"])
    out["profile"] = _ordered(dict(diary["profile"]), keys["profile"])
    out["phases"] = [_ordered(dict(p), keys["phase"]) for p in diary["phases"]]
    out["entries"] = [_ordered(e, keys["entry"]) for e in diary["entries"]]  # type: ignore[arg-type]
    if "activities" in diary:
        out["activities"] = [
            {
                **_ordered(dict(a), keys["activity"]),
                "scores": [_ordered(dict(s), keys["score"]) for s in a["scores"]],
            }
            for a in diary["activities"]
        ]
    if "clearances" in diary:
        out["clearances"] = [_ordered(dict(c), keys["clearance"]) for c in diary["clearances"]]
    return out


def dump(diary: Diary) -> bytes:
    """The diary as UTF-8 JSON: the small parts indented, then one entry per line.

    One entry a line keeps the file readable and diffable (an added entry is an added
    line) and lets the C encoder write each entry: ten years of entries take ~40 ms, where
    `indent` forces json's pure-Python encoder (~500 ms and ~40 MiB of string pieces).
    """
    canonical = _canonical(diary)
    entries = canonical.pop("entries")
    tail_keys = [key for key in ("activities", "clearances") if key in canonical]
    rest = {key: canonical.pop(key) for key in tail_keys} or None
    head = json.dumps(canonical, ensure_ascii=False, indent=1, allow_nan=False)
    lines = [head[:-2] + ',\n "entries": [']
    if entries:
        # One call of the C encoder for all entries, then a line break between entries.
        # `}, {"id": ` can only stand between two entries: entries hold no objects, and a
        # quote inside a string is always escaped, so no string contains that sequence.
        flat = json.dumps(entries, ensure_ascii=False, allow_nan=False, separators=(", ", ": "))
        body = flat[1:-1].replace('}, {"id": ', '},\n  {"id": ')
        if body.count("\n") != len(entries) - 1:  # an entry that is not flat (never valid)
            raise ValueError("entry layout")
        lines.append("  " + body)
        lines.append(" ]" if rest is None else " ],")
    else:
        lines[-1] += "]" if rest is None else "],"
    if rest is not None:
        tail = json.dumps(rest, ensure_ascii=False, indent=1, allow_nan=False)
        lines.append(tail[2:-2])
    lines.append("}")
    return ("\n".join(lines) + "\n").encode("utf-8")


# --------------------------------------------------------------------------- reading


def entry_block(data: bytes, length: int | None = None) -> tuple[int, int] | None:
    """Where the entry lines of a file laid out by `dump` start and end; None if it has no
    entries (or is not laid out so). `length`: the block's length in the index of these very
    bytes (sealed), which saves looking through megabytes for its end."""
    start = data.find(ENTRIES_START)
    if start < 0:
        return None
    start += len(ENTRIES_START)
    if length and data.startswith(ENTRIES_END, start + length):
        return start, start + length
    end = data.find(ENTRIES_END, start)
    return (start, end) if end > start else None


def entry_lines(data: bytes) -> bytes | None:
    """The entry lines of a file laid out by `dump`, None if it has none."""
    block = entry_block(data)
    return data[block[0] : block[1]] if block else None


def line_date(line: bytes) -> bytes:
    # Most ids are 8 hex digits, which puts the date at a fixed place (checked); else it is
    # looked for.
    if line[18:30] == _DATE_KEY:
        return line[30:40]
    at = line.find(_DATE_KEY) + 12
    return line[at : at + 10]


def dates_in(spans: Collection[tuple[str, str]]) -> set[bytes]:
    """Every date in the inclusive ISO spans, as the bytes a diary file writes it."""
    from datetime import date

    days: set[int] = set()
    for lo, hi in spans:
        days.update(
            range(date.fromisoformat(lo).toordinal(), date.fromisoformat(hi).toordinal() + 1)
        )
    return {date.fromordinal(d).isoformat().encode() for d in days}


def head_of(data: bytes, block: tuple[int, int]) -> Any:
    """The diary in `data` without its entries (parsed)."""
    with no_gc():
        return json.loads(data[: block[0]] + data[block[1] :])


def with_lines(data: bytes, block: tuple[int, int], lines: list[bytes]) -> Any:
    """The diary in `data` with only the entry `lines` (parsed)."""
    with no_gc():
        return json.loads(data[: block[0]] + _SEP.join(lines) + data[block[1] :])


def _entries(data: bytes, start: int, lo: int, hi: int) -> Iterator[tuple[int, bytes]]:
    """The entry lines between `lo` and `hi` (offsets in the block at `start`, at line
    boundaries), each with its offset and without the separating comma."""
    pos = lo
    for line in data[start + lo : start + hi].split(b"\n"):
        yield pos, line[:-1] if line.endswith(b",") else line
        pos += len(line) + 1


def pick_lines(
    data: bytes, block: tuple[int, int], wanted: set[bytes], index: Index | None
) -> list[bytes]:
    """The entry lines dated in `wanted`, and every line that notes a warning sign, in the
    order of the file. With an `index` that fits the file only its months are read."""
    start, end = block
    whole = [(0, end - start)]
    spans = index.spans(wanted, end - start) if index is not None else None
    if spans is None or not all(_fits(data, start, end, span) for span in spans):
        spans = whole
    picked = [
        (pos, entry)
        for lo, hi in spans
        for pos, entry in _entries(data, start, lo, hi)
        if line_date(entry) in wanted or NO_SYMPTOMS not in entry
    ]
    if index is not None and spans != whole:
        for lo, hi in index.signs:
            if not _fits(data, start, end, (lo, hi)):
                return pick_lines(data, block, wanted, None)
            if not any(a <= lo < b for a, b in spans):
                picked.append((lo, data[start + lo : start + hi]))
    picked.sort(key=lambda item: item[0])
    return [line for _, line in picked]


def _fits(data: bytes, start: int, end: int, span: tuple[int, int]) -> bool:
    """Whether `span` begins at the start of an entry line and ends at the end of one: a
    cheap guard, so that an index that does not belong to these bytes is never trusted."""
    lo, hi = span
    return (
        0 <= lo < hi <= end - start
        and data[start + lo : start + lo + 3] == b"  {"
        and (lo == 0 or data[start + lo - 1] == 0x0A)
        and data[start + hi - 1] == 0x7D  # "}"
        and (hi == end - start or data[start + hi : start + hi + 2] == _SEP)
    )


def has_id(data: bytes, block: tuple[int, int] | None, entry_id: str) -> bool:
    """Whether an entry line in `data` has this id (a byte search, no parsing)."""
    if block is None:
        return False
    key = b'\n  {"id": ' + json.dumps(entry_id, ensure_ascii=False).encode() + b", "
    # The first line follows the `[` and its line break: search from that line break.
    return data.find(key, block[0] - 1, block[1]) >= 0


# ----------------------------------------------------------------------------- index


@dataclass(frozen=True)
class Index:
    """Where the entries of one file lie, relative to its entry block (see the module)."""

    length: int  # bytes in the entry block
    months: dict[bytes, tuple[int, int]] = field(default_factory=dict)  # b"YYYY-MM" -> span
    signs: tuple[tuple[int, int], ...] = ()  # the lines that note a warning sign

    def spans(self, wanted: set[bytes], length: int) -> list[tuple[int, int]] | None:
        """The merged spans of the months of `wanted`, None if the index does not fit."""
        if length != self.length:
            return None
        found = sorted({self.months[m] for d in wanted if (m := d[:7]) in self.months})
        merged: list[tuple[int, int]] = []
        for lo, hi in found:
            if merged and lo <= merged[-1][1] + 2:  # overlapping, or the next line
                merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
            else:
                merged.append((lo, hi))
        return merged

    def appended(self, line: bytes) -> Index:
        """The index once `line` (an entry line, no separator) is appended to the block."""
        lo = self.length + len(_SEP)  # a block with lines only: see `entry_block`
        hi = lo + len(line)
        month = line_date(line)[:7]
        old = self.months.get(month)
        months = {**self.months, month: (old[0] if old else lo, hi)}
        signs = self.signs if NO_SYMPTOMS in line else (*self.signs, (lo, hi))
        return Index(hi, months, signs)

    def text(self) -> str:
        """One line: the CRC-32 of the JSON that follows it, so that damage to the index
        alone (the seal before it only vouches for the diary) is seen, and the JSON."""
        months = {m.decode("latin-1"): list(span) for m, span in sorted(self.months.items())}
        body = json.dumps(
            {"length": self.length, "months": months, "signs": [list(s) for s in self.signs]},
            separators=(",", ":"),
        )
        return f"{zlib.crc32(body.encode('ascii')):08x} {body}"

    @classmethod
    def parse(cls, text: str) -> Index | None:
        """The index written by `text`, None for anything else (it is only derived data)."""
        crc, _, body = text.strip().partition(" ")
        try:
            if crc != f"{zlib.crc32(body.encode('ascii')):08x}":
                return None
            raw = json.loads(body)
            months = {
                m.encode("latin-1"): (int(lo), int(hi)) for m, (lo, hi) in raw["months"].items()
            }
            signs = tuple((int(lo), int(hi)) for lo, hi in raw["signs"])
            return cls(int(raw["length"]), months, signs)
        except (ValueError, TypeError, KeyError, AttributeError):
            return None

    @classmethod
    def of(cls, data: bytes) -> Index:
        """The index of a file laid out by `dump` (every line read: for a full write)."""
        block = entry_block(data)
        if block is None:
            return cls(0)
        start, end = block
        months: dict[bytes, tuple[int, int]] = {}
        signs: list[tuple[int, int]] = []
        for pos, entry in _entries(data, start, 0, end - start):
            hi = pos + len(entry)
            month = line_date(entry)[:7]
            old = months.get(month)
            months[month] = (old[0] if old else pos, hi)
            if NO_SYMPTOMS not in entry:
                signs.append((pos, hi))
        return cls(end - start, months, tuple(signs))
