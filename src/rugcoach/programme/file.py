"""Checking a programme file, and writing one for the therapist to start from (SPEC §12).

Cold path only (PyYAML and pydantic): `programme.load` comes here when the file changed.
The file is read with the content files' safe loader (no tags, no anchors, a size limit),
checked by a pydantic model with `extra="forbid"`, then against the exercise library (ids,
with a "did you mean", and the unit each exercise is dosed in). Every problem is
`file:line: field: message`; a programme with any problem is never used.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, timedelta
from difflib import get_close_matches
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StrictInt
from pydantic_core import PydanticCustomError

from rugcoach.coach.phase import DEFAULT_PROFILE, phase_status
from rugcoach.coach.plan import walking_goal
from rugcoach.coach.prescribed import FORMAT, UNITS, WEEKDAYS
from rugcoach.coach.routine import LOAD_NORMAL, day_routine
from rugcoach.content.validation import ContentError, LineMap, Problem, load_yaml, validate
from rugcoach.doses import dose_text
from rugcoach.i18n import pick, t

if TYPE_CHECKING:
    from rugcoach.schema import Content, Diary

# Weekday names a therapist may write, in English and Dutch, short and long (any case).
DAY_NAMES: dict[str, str] = {}
for _i, _names in enumerate(
    (
        ("mon", "monday", "ma", "maandag"),
        ("tue", "tuesday", "di", "dinsdag"),
        ("wed", "wednesday", "wo", "woensdag"),
        ("thu", "thursday", "do", "donderdag"),
        ("fri", "friday", "vr", "vrijdag"),
        ("sat", "saturday", "za", "zaterdag"),
        ("sun", "sunday", "zo", "zondag"),
    )
):
    for _name in _names:
        DAY_NAMES[_name] = WEEKDAYS[_i]
MAX_TEXT = 1000
# Bidirectional overrides can make a note read differently from what it holds.
_BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def _fail(kind: str, message: str) -> PydanticCustomError:
    return PydanticCustomError(kind, message)


def _plain(value: str, *, newlines: bool) -> str:
    """Text shown to the person: no control characters (they could drive the terminal)."""
    if len(value) > MAX_TEXT:
        raise _fail("long", t("programme.check.long", most=MAX_TEXT))
    for ch in value:
        if (ch == "\n" and newlines) or ch == "\t":
            continue
        if unicodedata.category(ch) == "Cc" or ch in _BIDI:
            raise _fail("control", t("programme.check.control"))
    if not value.strip():
        raise _fail("blank", t("check.blank_text"))
    return value


def shown(value: Any) -> str:
    """A value from the file as a message may echo it: short, control characters escaped."""
    text = str(value)[:40]
    return "".join(
        ch
        if ch.isprintable() and ch not in _BIDI
        else (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")
        for ch in text
    )


def _date(value: Any) -> date:
    # YAML gives a date for 2026-12-01 and a string for "2026-12-01"; a time of day, a
    # number or anything else is not a date a therapist meant.
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise _fail("date", t("programme.check.date", value=shown(value)))


def _weekday(value: Any) -> str:
    if isinstance(value, str) and value.strip().lower() in DAY_NAMES:
        return DAY_NAMES[value.strip().lower()]
    close = get_close_matches(str(value).lower(), list(DAY_NAMES), n=1)
    hint = " " + t("error.did_you_mean", guess=close[0]) if close else ""
    raise _fail("weekday", t("programme.check.weekday", value=shown(value)) + hint)


def _note(value: Any) -> Any:
    if isinstance(value, str):
        return _plain(value, newlines=True)
    if isinstance(value, dict) and value and set(value) <= {"nl", "en"}:
        for text in value.values():
            if not isinstance(text, str):
                raise _fail("note", t("programme.check.note"))
            _plain(text, newlines=True)
        return dict(value)
    raise _fail("note", t("programme.check.note"))


def _by(value: Any) -> str:
    if not isinstance(value, str):
        raise _fail("by", t("programme.check.by"))
    return _plain(value, newlines=False)


Day = Annotated[str, BeforeValidator(_weekday)]
When = Annotated[date, BeforeValidator(_date)]


class ProgrammeDose(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sets: Annotated[StrictInt, Field(ge=1, le=10)] = 1
    reps: Annotated[StrictInt, Field(ge=1, le=100)] | None = None
    seconds: Annotated[StrictInt, Field(ge=1, le=600)] | None = None
    minutes: Annotated[StrictInt, Field(ge=1, le=120)] | None = None
    per_side: StrictBool = False
    rest_seconds: Annotated[StrictInt, Field(ge=0, le=600)] | None = None


class ProgrammeExercise(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: Annotated[str, Field(min_length=1, max_length=60, strict=True)]
    dose: ProgrammeDose | None = None
    days: Annotated[list[Day], Field(min_length=1, max_length=7)] | None = None
    note: Annotated[Any, BeforeValidator(_note)] = None


class ProgrammeModel(BaseModel):
    """`programme.yaml`, field by field (SPEC §12)."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["rugcoach-programme"]
    version: Literal[1]
    by: Annotated[str, BeforeValidator(_by)] | None = None
    from_: When = Field(alias="from")
    review: When | None = None
    phase: Annotated[StrictInt, Field(ge=1, le=4)] | None = None
    walk_minutes: Annotated[StrictInt, Field(ge=0, le=240)] | None = None
    progress: StrictBool = False
    exercises: Annotated[list[ProgrammeExercise], Field(min_length=1, max_length=30)]


def check(path: Path, data: bytes, content: Content) -> dict[str, Any]:
    """The programme in `data` (the bytes of `path`), normalised, or `ContentError`.

    The field checks and the checks against the library run together, so a therapist sees
    every problem of the file at once, in the order of its lines.
    """
    name = str(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ContentError([Problem(name, 1, "", t("content.not_utf8"))]) from None
    tree, lines = load_yaml(path, text)
    if not isinstance(tree, dict):
        raise ContentError([Problem(name, 1, "", t("programme.check.not_mapping"))])
    problems = against_content(tree, content, name, lines)
    model = None
    try:
        model = validate(ProgrammeModel, tree, name, lines)
    except ContentError as exc:
        problems += exc.problems
    if problems or model is None:
        raise ContentError(sorted(problems, key=lambda p: p.line))
    return normalised(model)


def _as_date(value: Any) -> date | None:
    try:
        return _date(value)
    except PydanticCustomError:
        return None


def against_content(
    tree: dict[str, Any], content: Content, name: str, lines: LineMap
) -> list[Problem]:
    """What the exercise library and the calendar say about the (unchecked) file: unknown
    ids (with a "did you mean"), a dose in another unit than the exercise's, a review date
    not after the first day, an unknown phase, an exercise listed twice."""
    out: list[Problem] = []

    def add(loc: tuple[str | int, ...], message: str) -> None:
        field = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
        out.append(Problem(name, lines.line(loc), field, message))

    first, review = _as_date(tree.get("from")), _as_date(tree.get("review"))
    if first is not None and review is not None and review <= first:
        add(("review",), t("programme.check.review_order", start=first.isoformat()))
    numbers = [p["number"] for p in content["phases"]["phases"]]
    phase = tree.get("phase")
    if type(phase) is int and 1 <= phase <= 4 and phase not in numbers:
        add(("phase",), t("error.bad_phase", value=phase, last=numbers[-1]))
    library = {e["id"]: e for e in content["exercises"]["exercises"]}
    items = tree.get("exercises")
    seen: set[str] = set()
    for i, item in enumerate(items if isinstance(items, list) else []):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            continue
        ex_id = item["id"]
        if ex_id in seen:
            add(("exercises", i, "id"), t("check.duplicate_id", id=shown(ex_id)))
        seen.add(ex_id)
        exercise = library.get(ex_id)
        if exercise is None:
            close = get_close_matches(ex_id, list(library), n=1)
            hint = ". " + t("error.did_you_mean", guess=close[0]) if close else ""
            add(("exercises", i, "id"), t("check.unknown_exercise", id=shown(ex_id)) + hint)
            continue
        dose = item.get("dose")
        if not isinstance(dose, dict):
            continue
        written = [u for u in UNITS if dose.get(u) is not None]
        own = sorted({u for d in exercise["dose"] for u in UNITS if u in d})
        if len(written) != 1:
            add(("exercises", i, "dose"), t("programme.check.one_unit"))
        elif written[0] not in own:
            add(
                ("exercises", i, "dose", written[0]),
                t("programme.check.unit", id=ex_id, unit=written[0], own=", ".join(own)),
            )
    return out


def normalised(model: ProgrammeModel) -> dict[str, Any]:
    """The programme as `coach/prescribed.py` reads it and `programme --json` shows it: the
    file's keys."""
    exercises = []
    for item in model.exercises:
        dose = None
        if item.dose is not None:
            dose = {k: v for k, v in item.dose.model_dump().items() if v is not None}
            if not dose.get("per_side"):
                dose.pop("per_side", None)
        days = sorted(set(item.days), key=WEEKDAYS.index) if item.days else list(WEEKDAYS)
        exercises.append({"id": item.id, "dose": dose, "days": days, "note": item.note})
    return {
        "format": FORMAT,
        "version": 1,
        "by": model.by,
        "from": model.from_.isoformat(),
        "review": model.review.isoformat() if model.review else None,
        "phase": model.phase,
        "walk_minutes": model.walk_minutes,
        "progress": model.progress,
        "exercises": exercises,
    }


# ------------------------------------------------------------------------------ template


def _comment(text: str) -> str:
    return "# " + " ".join(text.split())


def template(content: Content, diary: Diary | None, day: date) -> str:
    """A programme made from the automatic plan of `day` (normal load), from `day` on,
    that `programme set` accepts unchanged; comments in the person's language."""
    profile = diary["profile"]["profile"] if diary is not None else DEFAULT_PROFILE
    status = phase_status(content, diary, day)
    # This programme week's automatic routine at its stepped doses (SPEC §11, §12).
    items = day_routine(
        content, status.phase, profile, day, LOAD_NORMAL, diary=diary, started=status.started
    ).items
    walk = walking_goal(content, diary, day)
    lines = [
        _comment(t("programme.template.head", date=day.isoformat())),
        _comment(t("programme.template.how")),
        f"format: {FORMAT}",
        "version: 1",
        _comment(t("programme.template.by")),
        "# by: " + _yaml_string(t("programme.template.by_example")),
        f"from: {day.isoformat()}",
        _comment(t("programme.template.review")),
        f"# review: {(day + timedelta(days=28)).isoformat()}",
        f"phase: {status.number}",
        f"walk_minutes: {walk}",
        "progress: false",
        _comment(t("programme.template.days")),
        "exercises:",
    ]
    for item in items:
        dose = item.dose
        parts = [f"sets: {dose['sets']}"]
        parts += [f"{u}: {dose[u]}" for u in UNITS if u in dose]  # type: ignore[literal-required]
        if dose.get("per_side"):
            parts.append("per_side: true")
        if "rest_seconds" in dose:
            parts.append(f"rest_seconds: {dose['rest_seconds']}")
        lines += [
            f"  - id: {item.exercise['id']}",
            "    " + _comment(f"{pick(item.exercise['name'])}: {dose_text(dose)}"),
            "    dose: {" + ", ".join(parts) + "}",
            "    # days: [mon, wed, fri]",
            '    # note: {nl: "...", en: "..."}',
        ]
    return "\n".join(lines) + "\n"


def _yaml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
