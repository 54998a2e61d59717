"""What a diary file holds: its format and version, the bytes decoded and checked, and the
migrations that bring an older version to the current one (in memory only).

`parse` is the one strict reader of diary bytes (SPEC §13): no coercion, the rules of
diary/rules.py, and for anything unusable a `Bad` saying in plain words what is wrong.
Store turns that into a message naming the file and the newest good backup.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rugcoach.diary import layout, strictjson
from rugcoach.diary import rules as diary_rules
from rugcoach.errors import RugcoachError
from rugcoach.i18n import t

if TYPE_CHECKING:
    from rugcoach.schema import Diary

FORMAT = "rugcoach-diary"
VERSION = 3  # the current schema version of the diary; read as codec.VERSION (tests raise it)

_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class Bad(RugcoachError):
    """The data is not a usable diary; `what` says why, in the person's language.

    Internal: `Store` turns it into a full BrokenDiary message. It is a RugcoachError only so
    that a caller of `migrate` never shows a traceback.
    """

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


class Newer(Exception):
    def __init__(self, version: int) -> None:
        super().__init__(version)
        self.version = version


def decode(data: bytes) -> Any:
    """Bytes to JSON value, or `Bad` saying in plain words what is wrong with the bytes."""
    if not data:
        raise Bad(t("storage.what.empty"))
    if data.startswith(_BOM):
        raise Bad(t("storage.what.bom"))
    if data.startswith(_UTF16_BOMS):
        raise Bad(t("storage.what.utf16"))
    if b"\x00" in data:
        raise Bad(t("storage.what.nul", pos=data.index(b"\x00")))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Bad(t("storage.what.not_utf8", pos=exc.start)) from None
    stripped = text.rstrip()
    if not stripped:
        raise Bad(t("storage.what.blank"))
    try:
        with layout.no_gc():
            value = strictjson.loads(text)
    except strictjson.StrictJSONError as exc:
        raise Bad(exc.what) from None
    except json.JSONDecodeError as exc:
        if exc.pos >= len(stripped) or exc.msg.startswith("Unterminated string"):
            raise Bad(t("storage.what.truncated")) from None
        raise Bad(
            t("storage.what.bad_json", line=exc.lineno, column=exc.colno, problem=exc.msg)
        ) from None
    except RecursionError:
        raise Bad(t("storage.what.too_deep")) from None
    # A "\ud800" escape decodes to a lone surrogate, which no UTF-8 file can hold: the next
    # save would fail. Only look when the text has such an escape (cheap in the normal case).
    if ("\\ud" in text or "\\uD" in text) and has_lone_surrogate(value):
        raise Bad(t("storage.what.surrogate"))
    return value


def seal_of(data: bytes) -> str:
    from rugcoach.content.cache import checksum

    return f"rugcoach-diary-v{VERSION} {checksum(data)}"


def has_lone_surrogate(value: Any) -> bool:
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def parse(data: bytes, name: str, *, sealed: bool = False) -> tuple[Diary, int]:
    """The diary in `data`, migrated to VERSION and checked, with the version found on disk.

    `sealed`: these are the very bytes this rugcoach wrote after validating them (see
    `Store._sealed`), so the plain C JSON parser is enough; ten years of entries then load
    in milliseconds instead of a third of a second.

    Raises `Bad` for anything unusable, `Newer` for a diary from a newer rugcoach.
    """
    if sealed:
        with contextlib.suppress(ValueError):
            with layout.no_gc():
                raw = json.loads(data)
            if isinstance(raw, dict) and raw.get("version") == VERSION:
                return raw, VERSION  # type: ignore[return-value]
    raw = decode(data)
    if not isinstance(raw, dict):
        raise Bad(t("storage.what.not_object"))
    if raw.get("format") != FORMAT:
        found = json.dumps(raw.get("format"), ensure_ascii=False)[:60]
        raise Bad(t("storage.what.not_diary", found=found))
    version = raw.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        found = json.dumps(version, ensure_ascii=False)[:60]
        raise Bad(t("storage.what.bad_version", found=found))
    if version > VERSION:
        raise Newer(version)
    return check(migrate(raw)), version


def migrate(raw: dict[str, Any]) -> dict[str, Any]:
    """An older diary brought to VERSION, one registered step at a time (in memory only)."""
    version = raw["version"]
    while version < VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise Bad(t("storage.what.no_migration", version=version))
        try:
            raw = step(raw)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise Bad(t("storage.what.migration_failed", version=version, problem=exc)) from None
        version += 1
        raw["version"] = version
    return raw


def check(raw: Any) -> Diary:
    """`raw` as a valid diary (diary_rules: its shape, then its meaning), or `Bad`."""
    try:
        return diary_rules.check_diary(raw)
    except diary_rules.RuleError as exc:
        raise bad_rule(exc) from None


def bad_rule(exc: diary_rules.RuleError) -> Bad:
    if exc.field:
        return Bad(t("storage.what.invalid", field=exc.field, problem=exc.what))
    return Bad(t("storage.what.invalid_plain", problem=exc.what))


# ------------------------------------------------------------------------- migrations


def _v1_to_v2(raw: dict[str, Any]) -> dict[str, Any]:
    """Version 2 adds the patient-specific activities (PSK / PSFS): none yet."""
    if "activities" in raw:  # a version 1 diary cannot hold them: the file was tampered with
        raise ValueError(t("storage.what.v1_activities"))
    return {**raw, "activities": []}


def _v2_to_v3(raw: dict[str, Any]) -> dict[str, Any]:
    """Version 3 adds the clearances of warnings (SPEC §10) and, per entry, the UTC offset
    it was logged at (SPEC §14) and the exercise feedback (SPEC §11): none yet."""
    if "clearances" in raw:  # a version 2 diary cannot hold them: the file was tampered with
        raise ValueError(t("storage.what.v2_clearances"))
    entries = raw.get("entries")
    if isinstance(entries, list):
        entries = [_v3_entry(e) for e in entries]
    return {**raw, "entries": entries, "clearances": []}


def _v3_entry(entry: Any) -> Any:
    if not isinstance(entry, dict):
        return entry  # validation after the migration names what is wrong with it
    if any(key in entry for key in V3_ENTRY_KEYS):
        raise ValueError(t("storage.what.v2_clearances"))
    out: dict[str, Any] = {}
    for key, value in entry.items():
        out[key] = value
        if key == "time":
            out["utc_offset"] = None
        elif key == "done":
            out["hard"], out["easy"] = [], []
    for key, empty in (("utc_offset", None), ("hard", []), ("easy", [])):
        out.setdefault(key, empty)
    return out


# The entry keys version 3 added; an older file that has them was not written by rugcoach.
V3_ENTRY_KEYS = ("utc_offset", "hard", "easy")

# Version N -> a function turning a version-N diary (a plain dict, freshly parsed) into a
# version N+1 one. `migrate` applies them step by step and sets "version" after each step.
# A step must not modify its argument.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {
    1: _v1_to_v2,
    2: _v2_to_v3,
}
