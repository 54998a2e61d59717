"""Small synthetic content and diaries for the engine's unit tests.

Everything here conforms to `rugcoach.schema` (test_coach checks that with pydantic), and
uses the SPEC defaults for every threshold, so a test states its edge cases in the SPEC's
own numbers. Tests that change a threshold do so with `content(**overrides)`.
"""

from __future__ import annotations

import copy
import functools
import itertools
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from rugcoach.schema import Content, Diary, Entry, PhaseStart

D0 = date(2026, 3, 2)  # a Monday; the default diary start


def text(s: str) -> dict[str, str]:
    return {"nl": f"{s} (nl)", "en": s}


def readiness(min_days: int, max_days: int, max_mean: float) -> dict[str, Any]:
    return {
        "min_days": min_days,
        "max_days": max_days,
        "window_days": 7,
        "min_pain_scores": 4,
        "max_mean_pain": max_mean,
        "min_exercise_days": 4,
    }


def phase(number: int, focus: list[str], ready: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "number": number,
        "name": text(f"Phase {number}"),
        "short": text(f"P{number}"),
        "goals": [text(f"goal {number}")],
        "focus": focus,
        "typical_duration": text("weeks"),
        "readiness": ready,
        "notice": [],
        "mistakes": [],
    }


RULES: dict[str, Any] = {
    "symptom_window_days": 7,
    "pain_rising": {"recent_days": 3, "before_days": 4, "margin": 1.0},
    "no_improvement": {
        "min_days_since_start": 21,
        "window_days": 7,
        "min_pain_scores": 4,
        "min_recent_mean": 2.0,
    },
    "exercise_pain_high": {"above": 5, "window_days": 2},
    "pain_flare": {"rise": 2.0, "baseline_days": 7, "min_baseline_scores": 3},
    "morning_stiffness": {"above_minutes": 30, "min_days": 3, "window_days": 7},
    "pain_uncontrolled": {"min_pain": 8, "days": 3},
    "phase_overdue": {"window_days": 7, "min_pain_scores": 4, "min_improvement": 1.0},
    "quiet_days": 28,
}


def dose(phase: int, sets: int = 2, **amount: Any) -> dict[str, Any]:
    return {"phase": phase, "sets": sets, **(amount or {"reps": 8})}


def exercise(
    id: str,
    category: str,
    doses: Sequence[dict[str, Any]],
    minutes: int = 3,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "id": id,
        "name": text(id.replace("-", " ").capitalize()),
        "category": category,
        "dose": list(doses),
        "minutes": minutes,
        "summary": text(f"about {id}"),
        "steps": [text("do it")],
        "cues": [],
        "stop_when": [text("sharp pain")],
        "cautions": {},
        "equipment": [],
        **extra,
    }


def exercises() -> list[dict[str, Any]]:
    """A library covering every focus category of every phase, with several choices in
    most, variants (easier/harder) and one exercise not for the nerve profile."""
    p12 = [dose(1), dose(2, 3)]
    return [
        exercise("breath", "breathing", [dose(1, 1, minutes=3), dose(2, 1, minutes=2)], 3),
        exercise("box-breath", "breathing", [dose(1, 1, minutes=2)], 2),
        exercise("tilt", "mobility", p12, 3),
        exercise("cat-cow", "mobility", [dose(1), dose(2), dose(3), dose(4)], 3),
        exercise("knee-rock", "mobility", [dose(1, 2, reps=10)], 2),
        exercise("rotation", "mobility", [dose(1), dose(2), dose(3)], 3),
        exercise("hip-flexor", "mobility", [dose(2, 2, seconds=30), dose(3, 3, seconds=30)], 3),
        exercise("slider", "nerve-glide", [dose(1, 2, reps=10)], 3, not_for=["acute"]),
        exercise("tensioner", "nerve-glide", [dose(1, 1, reps=6), dose(2)], 3),
        exercise("walk", "walking", [dose(1, 1, minutes=5), dose(2, 1, minutes=8)], 5),
        exercise(
            "dead-bug-easy",
            "motor-control",
            [dose(1), dose(2, 3), dose(3, 3)],
            3,
            harder="dead-bug",
        ),
        exercise("dead-bug", "motor-control", [dose(2, 3), dose(3, 3)], 4, easier="dead-bug-easy"),
        exercise("bird-dog", "motor-control", [dose(2, 3), dose(3, 3)], 4, easier="quadruped"),
        exercise("quadruped", "motor-control", [dose(1, 2, seconds=10)], 3, harder="bird-dog"),
        exercise("bridge", "strength", [dose(2), dose(3, 3), dose(4, 3)], 4, easier="half-bridge"),
        exercise("half-bridge", "strength", [dose(2, 2, reps=6)], 3, harder="bridge"),
        exercise("squat", "strength", [dose(3, 3), dose(4, 4)], 5),
        exercise("lunge", "strength", [dose(3, 3), dose(4, 4)], 5, not_for=["nerve"]),
        exercise("row", "strength", [dose(3, 3), dose(4, 3)], 4),
        exercise("bike", "cardio", [dose(3, 1, minutes=10), dose(4, 1, minutes=15)], 10),
        exercise("step-up", "cardio", [dose(2, 2, reps=10), dose(3, 3, reps=12)], 4),
        exercise("jump", "strength-power", [dose(4, 3, reps=6)], 5, easier="squat"),
        exercise("throw", "strength-power", [dose(4, 3, reps=8)], 5),
        exercise("farmer", "strength", [dose(4, 1, seconds=40)], 3),
    ]


SYMPTOMS: list[tuple[str, str, dict[str, str] | None]] = [
    ("saddle-numbness", "urgent", None),
    ("bladder-bowel", "urgent", None),
    ("both-legs", "urgent", None),
    ("progressive-weakness", "urgent", None),
    ("trauma", "urgent", None),
    ("radiating-leg-pain", "consult", {"nerve": "adjust"}),
    ("leg-weakness", "consult", None),
    ("numbness", "consult", None),
    ("fever", "consult", None),
    ("weight-loss", "consult", None),
    ("night-pain", "consult", None),
]
RULE_LEVELS = {
    "no-improvement": "consult",
    "phase-overdue": "consult",
    "pain-uncontrolled": "consult",
    "exercise-pain-high": "adjust",
    "pain-flare": "adjust",
    "morning-stiffness": "adjust",
}


def coaching() -> dict[str, Any]:
    symptoms = []
    for sid, level, overrides in SYMPTOMS:
        words = 6 if level == "urgent" else 4
        item: dict[str, Any] = {
            "id": sid,
            "level": level,
            "when": "now" if level == "urgent" else "days",
            "name": {"nl": f"{sid} (naam)", "en": f"{sid} (name)"},
            "aliases": {
                "nl": [f"{sid}-nl"] + [f"{sid}-nl-{i}" for i in range(1, words)],
                "en": [f"{sid}-en-{i}" for i in range(words)],
            },
            "description": text(f"what {sid} means"),
            "message": text(f"about {sid}"),
        }
        if overrides:
            item["profile_levels"] = overrides
        symptoms.append(item)
    return {
        "profiles": [
            {"id": p, "name": text(p), "description": text(p), "advice": text(p)}
            for p in ("general", "acute", "nerve", "degenerative", "chronic", "recurrent")
        ],
        "symptoms": symptoms,
        "rule_warnings": [
            {"id": rid, "level": level, "when": "days", "message": text(f"about {rid}")}
            for rid, level in RULE_LEVELS.items()
        ]
        + [
            {
                "id": "screening",
                "level": "consult",
                "when": "weeks",
                "message": text("discuss the screening"),
            }
        ],
        "screening": [{"id": "cancer", "question": text("cancer?")}],
        "screening_warning": text("discuss the screening with your GP"),
        "daily_routines": {
            "morning": {"exercises": ["tilt", "rotation"], "advice": []},
            "afternoon": {"exercises": ["walk"], "advice": [text("vary posture")]},
            "evening": {"exercises": ["breath", "lunge"], "advice": []},
        },
        "tips": [{"id": f"tip-{i}", "text": text(f"tip {i}")} for i in range(21)],
        "disclaimer": text("not a diagnosis"),
    }


def content(**rule_overrides: dict[str, Any] | int) -> Content:
    """Synthetic content with the SPEC defaults; `rule_overrides` replace parts of `rules`
    (a dict is merged into that rule)."""
    rules = copy.deepcopy(RULES)
    for key, value in rule_overrides.items():
        if isinstance(value, dict):
            rules[key].update(value)
        else:
            rules[key] = value
    data = {
        "phases": {
            "phases": [
                phase(1, ["breathing", "mobility", "nerve-glide"], readiness(7, 14, 5.0)),
                phase(2, ["motor-control", "mobility", "strength"], readiness(14, 28, 4.0)),
                phase(3, ["strength", "motor-control", "cardio"], readiness(28, 56, 3.0)),
                phase(4, ["strength", "strength-power", "cardio"], None),
            ],
            "rules": rules,
            "walking": {"start_minutes": 10, "step_minutes": 5, "step_days": 7, "max_minutes": 30},
            "session": {"min_minutes": 15, "max_minutes": 25},
        },
        "exercises": {"exercises": exercises()},
        "coaching": coaching(),
    }
    return data  # type: ignore[return-value]


_ids = itertools.count(1)


def entry(
    day: date | str,
    *,
    pain: int | None = None,
    exercise_pain: int | None = None,
    stiffness: int | None = None,
    walk: int | None = None,
    done: Iterable[str] = (),
    symptoms: Iterable[str] = (),
    time: str | None = None,
    note: str | None = None,
    utc_offset: str | None = None,
    hard: Iterable[str] = (),
    easy: Iterable[str] = (),
) -> Entry:
    return {
        "id": f"e{next(_ids):06d}",
        "date": day if isinstance(day, str) else day.isoformat(),
        "time": time,
        "utc_offset": utc_offset,
        "pain": pain,
        "exercise_pain": exercise_pain,
        "stiffness_minutes": stiffness,
        "walk_minutes": walk,
        "done": list(done),
        "hard": list(hard),
        "easy": list(easy),
        "symptoms": list(symptoms),
        "note": note,
    }


def series(first: date, pains: Sequence[int | None], **common: Any) -> list[Entry]:
    """One entry a day from `first`, with these pain scores (None: no entry that day)."""
    return [
        entry(first + timedelta(days=i), pain=p, **common)
        for i, p in enumerate(pains)
        if p is not None
    ]


def diary(
    entries: Iterable[Entry] = (),
    *,
    start: date = D0,
    profile: str = "general",
    phases: Sequence[tuple[int, date]] | None = None,
    screening_flags: Sequence[str] = (),
    screening_cleared: bool = False,
) -> Diary:
    starts: list[PhaseStart] = [
        {"number": n, "start": d.isoformat(), "how": "init" if i == 0 else "next"}  # type: ignore[typeddict-item]
        for i, (n, d) in enumerate(phases or [(1, start)])
    ]
    return {
        "format": "rugcoach-diary",
        "version": 3,
        "profile": {
            "profile": profile,  # type: ignore[typeddict-item]
            "language": "en",
            "start_date": start.isoformat(),
            "goals": [],
            "screening_flags": list(screening_flags),
            "screening_cleared": screening_cleared,
        },
        "phases": starts,
        "entries": list(entries),
        "activities": [],
        "clearances": [],
    }


def day(n: int, start: date = D0) -> date:
    """Day n of a diary that started on `start` (day 1 is the start)."""
    return start + timedelta(days=n - 1)


DATA = Path(__file__).resolve().parent.parent / "data"


@functools.cache
def real_content() -> Content:
    """The packaged content in data/, validated as the schema says. Shared: do not mutate
    (take a copy.deepcopy first)."""
    from rugcoach.content.validation import load_yaml, validate
    from rugcoach.schema import CoachingFile, ExercisesFile, PhasesFile

    parts: dict[str, Any] = {}
    for kind, shape in (
        ("phases", PhasesFile),
        ("exercises", ExercisesFile),
        ("coaching", CoachingFile),
    ):
        path = DATA / f"{kind}.yaml"
        data, lines = load_yaml(path)
        parts[kind] = validate(shape, data, str(path), lines)  # type: ignore[arg-type]
    return parts  # type: ignore[return-value]
