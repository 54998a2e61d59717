"""Checking what a person typed: scores, minutes, texts, symptom and exercise ids.

Each check raises `UsageError` (exit 2) with one sentence in the person's language, before
anything touches the diary.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from rugcoach.cli.shell import did_you_mean
from rugcoach.errors import UsageError
from rugcoach.i18n import t
from rugcoach.safe_text import clean

if TYPE_CHECKING:
    from rugcoach.schema import Content


def whole(value: int | str | None) -> int | str | None:
    """An option's text as a whole number; text that is not one comes back unchanged."""
    if value is None or isinstance(value, int):
        return value
    text = value.strip()
    return int(text) if re.fullmatch(r"[+-]?[0-9]{1,9}", text) else value


def shown(value: object) -> str:
    """A value as typed, for a message; an empty one shows as ''."""
    return str(value) if str(value).strip() else "''"


def check_score(value: int | str | None, option: str) -> int | None:
    number = whole(value)
    if number is None:
        return None
    if not isinstance(number, int) or not 0 <= number <= 10:
        raise UsageError(t("error.bad_score", option=option, value=shown(value)))
    return number


def check_minutes(value: int | str | None, option: str, most: int) -> int | None:
    number = whole(value)
    if number is None:
        return None
    if not isinstance(number, int) or not 0 <= number <= most:
        raise UsageError(t("error.bad_minutes", option=option, value=shown(value), most=most))
    return number


def check_text(text: str, option: str) -> str:
    """Text from the command line that can be saved: bytes that were not valid UTF-8 reach
    Python as lone surrogates, which no diary file can hold."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise UsageError(t("error.not_text", option=option)) from None
    return text


def check_note(note: str | None) -> str | None:
    from rugcoach.diary.edits import MAX_NOTE

    if note is None:
        return None
    if len(note) > MAX_NOTE:
        raise UsageError(t("error.note_too_long", most=MAX_NOTE, length=len(note)))
    return check_text(note, "--note")


def check_goals(goals: list[str]) -> list[str]:
    from rugcoach.diary.edits import MAX_GOAL

    out = []
    for goal in goals:
        goal = check_text(goal, "--goal").strip()
        if len(goal) > MAX_GOAL:
            raise UsageError(t("error.goal_too_long", most=MAX_GOAL, length=len(goal)))
        if goal:
            out.append(goal)
    return out


def resolve_symptoms(values: list[str], content: Content) -> list[str]:
    """Signs typed in the person's own words (SPEC §10) to their ids; a word that names no
    sign is a usage error that lists every sign, urgent ones first (see `signs`)."""
    from rugcoach.content import signs

    known = signs.index(content)
    out: list[str] = []
    for value in values:
        found = signs.match(value, content, known)
        if found is None:
            raise UsageError(unknown_sign_message(value, content))
        out.extend(found.ids)
    return list(dict.fromkeys(out))


def unknown_sign_message(value: str, content: Content) -> str:
    """'X is not a sign rugcoach knows', a "did you mean" for a plain typo, then every
    sign with its name and description, most serious first."""
    from rugcoach.content import signs
    from rugcoach.i18n import pick

    lines = [t("error.unknown_sign", value=clean(value))]
    guess = signs.typo_of(value, content)
    if guess is not None:
        symptom = next(s for s in content["coaching"]["symptoms"] if s["id"] == guess[0])
        lines[0] += " " + t("error.sign_typo", word=guess[1], name=pick(symptom["name"]))
    lines.append(t("error.sign_choose"))
    level = None
    for symptom in signs.ordered(content):
        if symptom["level"] != level:
            level = symptom["level"]
            lines.append(t("symptoms.heading." + level))
        lines.append(f"  {symptom['id']}: {pick(symptom['name'])} - {pick(symptom['description'])}")
    return "\n".join(lines)


def resolve_exercises(values: list[str], content: Content) -> list[str]:
    """Exercise ids (any letter case) as the library spells them; an unknown one is exit 2."""
    ids = [ex["id"] for ex in content["exercises"]["exercises"]]
    by_key = {i.lower(): i for i in ids}
    out = []
    for value in values:
        key = value.strip().lower()
        if key not in by_key:
            raise UsageError(
                t("error.unknown_exercise", value=value) + " " + did_you_mean(key, ids)
            )
        out.append(by_key[key])
    return out


# The option each measure of an entry is typed with (`log`, `edit`).
OPTIONS = {
    "pain": "--pain",
    "exercise_pain": "--exercise-pain",
    "stiffness_minutes": "--stiffness",
    "walk_minutes": "--walk",
    "done": "--done",
    "hard": "--hard",
    "easy": "--easy",
    "symptoms": "--symptom",
    "note": "--note",
}


def check_measures(values: dict[str, Any], content: Content) -> dict[str, Any]:
    """The measures of one entry as typed (the keys of `OPTIONS` that are present), checked
    and normalised: the one set of checks behind `log` and `edit`."""
    from rugcoach.diary.edits import MAX_STIFFNESS, MAX_WALK

    out = dict(values)
    for key, value in values.items():
        if key in ("pain", "exercise_pain"):
            out[key] = check_score(value, OPTIONS[key])
        elif key == "stiffness_minutes":
            out[key] = check_minutes(value, OPTIONS[key], MAX_STIFFNESS)
        elif key == "walk_minutes":
            out[key] = check_minutes(value, OPTIONS[key], MAX_WALK)
        elif key in ("done", "hard", "easy"):
            out[key] = resolve_exercises(value, content)
        elif key == "symptoms":
            out[key] = resolve_symptoms(value, content)
        elif key == "note":
            out[key] = check_note(value)
    return out


def split_ids(values: list[str] | None) -> list[str]:
    """`--done a --done b` and `--done a,b` both work."""
    return [part.strip() for v in values or [] for part in v.split(",") if part.strip()]
