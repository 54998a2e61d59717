"""Exports: the report (`reports/report.py`, built once from content, diary and period),
rendered by pure functions.

Each format is a `render(report) -> str` in `RENDERERS`; `import` reads the `json` format
back (only `format`, `version` and `entries` are required, SPEC §3).
"""

from __future__ import annotations

import json
import stat
from collections.abc import Callable
from datetime import date
from importlib import import_module
from pathlib import Path
from typing import Any

from rugcoach.diary import rules, strictjson
from rugcoach.diary.codec import has_lone_surrogate
from rugcoach.diary.edits import entry_json, make_entry, new_diary
from rugcoach.disk import why
from rugcoach.errors import RugcoachError
from rugcoach.i18n import current, pick, t
from rugcoach.reports.report import Report
from rugcoach.schema import Activity, Clearance, Diary

EXPORT_FORMAT = "rugcoach-export"
EXPORT_VERSION = 1


def _summary(report: Report) -> dict[str, Any]:
    from rugcoach.reports.format import progress_json

    days = sorted({e["date"] for e in report.entries})
    progress = report.progress
    # Pain is judged per day (SPEC §4): the mean of the day scores, as `summary` shows it.
    mean = progress.pain_mean
    figures = progress_json(progress, current())
    return {
        # The period the figures cover (the asked one narrowed to the diary), as in
        # `summary`; without a diary, the asked one or the entries' own.
        "period": figures["period"]
        if progress.first is not None
        else {
            "from": report.first.isoformat() if report.first else (days[0] if days else None),
            "to": report.last.isoformat() if report.last else (days[-1] if days else None),
            "days": None,
        },
        "entries": len(report.entries),
        "days_with_entries": len(days),
        "pain_mean": round(mean, 2) if mean is not None else None,
        "exercise_days": len({e["date"] for e in report.entries if e["done"]}),
        "walk_minutes": sum(e["walk_minutes"] or 0 for e in report.entries),
        # The report's figures (reports/progress.py); the daily scores are left out: `entries` has
        # them.
        **{
            key: value
            for key, value in figures.items()
            if key not in ("period", "entries", "daily")
        },
    }


def render_json(report: Report) -> str:
    diary = report.diary
    data = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "generated": report.generated.isoformat(),
        "language": current(),
        "disclaimer": pick(report.content["coaching"]["disclaimer"]),
        "profile": dict(diary["profile"]) if diary else None,
        "phases": [dict(p) for p in diary["phases"]] if diary else [],
        "entries": [entry_json(e) for e in report.entries],
        "activities": activities_json(report),
        "clearances": clearances_json(report),
        "summary": _summary(report),
        "programme": programme_json(report),
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def clearances_json(report: Report) -> list[dict[str, Any]]:
    """The warnings the person cleared in the period (SPEC §10); `import` reads them back."""
    if report.diary is None:
        return []
    lo = report.first.isoformat() if report.first else ""
    hi = report.last.isoformat() if report.last else "9999-12-31"
    return [dict(c) for c in report.diary["clearances"] if lo <= c["date"] <= hi]


def programme_json(report: Report) -> dict[str, Any] | None:
    """The therapist's programme and its adherence over the period (SPEC §12), or None."""
    from rugcoach.reports import programme as report_programme

    return report_programme.to_json(report_programme.of_report(report))


def activities_json(report: Report) -> list[dict[str, Any]]:
    """The patient-specific activities (SPEC §9) with their scores in the period and the change
    since the first rating in it; `import` reads them back."""
    from rugcoach.coach import activities

    return [
        activities.progress_json(item)
        for item in activities.progress(report.diary, report.first, report.last)
    ]


def _lazy(module: str) -> Callable[[Report], str]:
    """The `render` of `rugcoach.<module>`, imported only when that format is asked for."""

    def render(report: Report) -> str:
        out: str = import_module(f"rugcoach.{module}").render(report)
        return out

    return render


RENDERERS: dict[str, Callable[[Report], str]] = {
    "json": render_json,
    "csv": _lazy("reports.csv"),
    "md": _lazy("reports.md"),
    "html": _lazy("reports.html"),
    "fhir": _lazy("reports.fhir"),
    # The coming weeks' plan as a calendar (SPEC §9); --weeks and --time go to it directly.
    "ics": _lazy("reports.ics"),
}


def _lazy_bytes(module: str) -> Callable[[Report], bytes]:
    """As `_lazy`, for a binary format."""

    def render(report: Report) -> bytes:
        out: bytes = import_module(f"rugcoach.{module}").render(report)
        return out

    return render


# Binary formats: written to a file or a pipe, never to a terminal (SPEC §14).
BINARY_RENDERERS: dict[str, Callable[[Report], bytes]] = {"xlsx": _lazy_bytes("reports.xlsx")}
FORMATS = ("json", "csv", "xlsx", "md", "html", "fhir", "ics")


# --------------------------------------------------------------------------------- import

DIARY_FORMAT = "rugcoach-diary"
# Measures an entry may leave out of an import file default to "not noted", exactly as in a
# new entry.
_ENTRY_DEFAULTS: dict[str, Any] = {
    key: value for key, value in make_entry("", date.min).items() if key not in ("id", "date")
}
# What an export adds to each activity for people to read; import leaves it out.
_ACTIVITY_DERIVED = ("first", "latest", "change", "meaningful_change", "direction")


def read_export(path: Path, today: date) -> dict[str, Any]:
    """A `json` export, checked completely: every problem is an error before anything is written.

    The rules are those of reading the diary (diary_rules), and what `log` refuses besides:
    dates after `today`, more than MAX_ENTRIES entries. A diary file itself (a sync program's
    conflict copy, a copy from another machine) is accepted too, so that its entries can be
    merged by id (SPEC §6).
    """
    name = str(path)
    raw = _read_json(path, name)
    if not isinstance(raw, dict) or raw.get("format") not in (EXPORT_FORMAT, DIARY_FORMAT):
        raise RugcoachError(t("import.not_export", file=name))
    try:
        if raw["format"] == DIARY_FORMAT:
            raw = _diary_as_export(raw, name)
        else:
            _check_version(raw, EXPORT_VERSION, name)
        if not isinstance(raw.get("entries"), list):
            raise RugcoachError(t("import.no_entries", file=name))
        if len(raw["entries"]) > rules.MAX_ENTRIES:
            raise RugcoachError(t("import.too_many", file=name, most=rules.MAX_ENTRIES))
        entries = [_with_defaults(e) for e in raw["entries"]]
        rules.shape("Entry[]", entries, "entries")
        rules.check_entries(entries, today)
        profile = raw.get("profile") or None
        if profile is not None:
            rules.shape("DiaryProfile", profile, "profile")
            rules.check_profile(profile, today)
        phases = raw.get("phases") or None
        if phases is not None:
            rules.shape("PhaseStart[]", phases, "phases")
            rules.check_phases(phases, today)
        activities = _read_activities(raw.get("activities"), today)
        clearances = _read_clearances(raw.get("clearances"), today)
        _check_text(raw)
    except rules.RuleError as refused:
        raise RugcoachError(
            t("import.invalid", file=name, field=refused.field, what=refused.what)
        ) from None
    return {
        "entries": entries,
        "profile": profile,
        "phases": phases,
        "activities": activities,
        "clearances": clearances,
    }


def _read_clearances(raw: Any, today: date) -> list[Clearance]:
    """The cleared warnings of an export or diary (optional, SPEC §10), checked."""
    if raw is None:
        return []
    if isinstance(raw, list):  # a file without times: each clearance covers its whole day
        raw = [{"time": None, **c} if isinstance(c, dict) else c for c in raw]
    rules.shape("Clearance[]", raw, "clearances")
    rules.check_clearances(raw, today)
    found: list[Clearance] = raw
    return found


def _read_activities(raw: Any, today: date) -> list[Activity]:
    """The activities of an export or diary (optional, SPEC §9), checked like the entries."""
    if raw is None:
        return []
    if isinstance(raw, list):
        raw = [
            {k: v for k, v in a.items() if k not in _ACTIVITY_DERIVED} if isinstance(a, dict) else a
            for a in raw
        ]
    rules.shape("Activity[]", raw, "activities")
    rules.check_activities(raw, today)
    found: list[Activity] = raw
    return found


def _check_text(raw: dict[str, Any]) -> None:
    """Text a diary file can hold: a "\\ud800" escape decodes to a lone surrogate, which no
    UTF-8 file can store. Looked for only when the file has one at all (cheap otherwise)."""
    if not has_lone_surrogate(raw):
        return
    for key, value in raw.items():
        if isinstance(value, list):
            for index, item in enumerate(value):
                parts = item.items() if isinstance(item, dict) else [("", item)]
                for name, part in parts:
                    if has_lone_surrogate(part):
                        field = f"{key}[{index}]" + (f".{name}" if name else "")
                        raise rules.RuleError(field, t("storage.what.surrogate"))
        elif has_lone_surrogate(value):
            raise rules.RuleError(key, t("storage.what.surrogate"))


def _read_json(path: Path, name: str) -> Any:
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            # A folder, or a pipe that would block the read: not a file to import.
            what = t("storage.what.not_a_file")
            raise RugcoachError(t("import.unreadable", file=name, what=what))
        if info.st_size > rules.MAX_IMPORT_BYTES:
            raise RugcoachError(
                t("import.too_big", file=name, most=rules.MAX_IMPORT_BYTES // 1024 // 1024)
            )
        # utf-8-sig: a byte order mark that an editor added does no harm here.
        text = path.read_bytes().decode("utf-8-sig")
        return strictjson.loads(text)
    except strictjson.StrictJSONError as exc:
        raise RugcoachError(t("import.unreadable", file=name, what=exc.what)) from None
    except FileNotFoundError:
        raise RugcoachError(t("error.no_file", file=name)) from None
    except RecursionError:
        what = t("storage.what.too_deep")
        raise RugcoachError(t("import.unreadable", file=name, what=what)) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RugcoachError(t("import.unreadable", file=name, what=_why(exc))) from None


def _check_version(raw: dict[str, Any], known: int, name: str) -> None:
    version = raw.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        found = json.dumps(version, ensure_ascii=False)[:60]
        raise rules.RuleError("version", t("storage.what.bad_version", found=found))
    if version > known:
        raise RugcoachError(t("import.version", file=name, version=version))


def _diary_as_export(raw: dict[str, Any], name: str) -> dict[str, Any]:
    """A diary file, brought to the current schema version (in memory only)."""
    from rugcoach.diary import store as storage

    _check_version(raw, storage.VERSION, name)
    if raw["version"] < storage.VERSION:
        try:
            raw = storage.migrate(dict(raw))
        except Exception as exc:  # storage reports why in its own (private) error type
            raise rules.RuleError("version", str(exc)) from None
    return raw


def _with_defaults(entry: Any) -> Any:
    return {**_ENTRY_DEFAULTS, **entry} if isinstance(entry, dict) else entry


def diary_from_export(incoming: dict[str, Any], version: int, today: date) -> Diary:
    """A new diary for an import into an empty home: the export's profile, else defaults."""
    profile, phases = incoming["profile"], incoming["phases"]
    if profile:
        start = date.fromisoformat(profile["start_date"])
    elif phases:
        start = date.fromisoformat(phases[0]["start"])
    else:
        dates = [date.fromisoformat(e["date"]) for e in incoming["entries"]]
        start = min(dates, default=today)
    diary = new_diary(start=start, version=version)
    if profile:
        diary["profile"] = profile
    if phases:
        diary["phases"] = phases
    if incoming.get("activities"):
        diary["activities"] = list(incoming["activities"])
    diary["clearances"] = merge_clearances(diary, incoming.get("clearances") or [])[0]["clearances"]
    return diary


def merge_clearances(diary: Diary, incoming: list[Clearance]) -> tuple[Diary, int]:
    """Cleared warnings not in the diary yet, matched by (id, date), appended; and how many."""
    known = {(c["id"], c["date"]) for c in diary["clearances"]}
    added: list[Clearance] = []
    for clearance in incoming:
        key = (clearance["id"], clearance["date"])
        if key not in known:
            known.add(key)
            added.append(clearance)
    return {**diary, "clearances": [*diary["clearances"], *added]}, len(added)


def _why(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return t("import.bad_json", line=exc.lineno)
    if isinstance(exc, UnicodeDecodeError):
        return t("content.not_utf8")
    if isinstance(exc, OSError):
        return why(exc)
    return str(exc)  # pragma: no cover - every error read_export meets is one of the above
