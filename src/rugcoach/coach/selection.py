"""Which exercises a routine is made of: the candidates of a phase, the first week's pick,
variants, and lighter versions of a dose.

Pure and standard library only (the `rugcoach today` hot path). The order of candidates is
a stable mix of (date, phase, profile, id), never Python's salted `hash()`, so the same
inputs always give the same routine.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Callable, Mapping
from datetime import date
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from rugcoach.schema import Content, Dose, Exercise, Phase

# The order of a session: settle and loosen first, then control, strength, endurance.
CATEGORY_ORDER: tuple[str, ...] = (
    "breathing",
    "mobility",
    "nerve-glide",
    "motor-control",
    "strength",
    "strength-power",
    "cardio",
    "walking",
)
NERVE_GLIDE = "nerve-glide"
T = TypeVar("T")

# Whether an exercise suits this person today (profile and fitting); None: all do.
Fits = Callable[["Exercise"], bool] | None


def dose_for(exercise: Exercise, phase: int) -> Dose | None:
    for dose in exercise["dose"]:
        if dose["phase"] == phase:
            return dose
    return None


def dose_up_to(exercise: Exercise, phase: int) -> Dose | None:
    """The dose of this phase, else of the nearest lower phase."""
    doses = [d for d in exercise["dose"] if d["phase"] <= phase]
    return max(doses, key=lambda d: d["phase"]) if doses else None


def allowed(exercise: Exercise, profile: str) -> bool:
    return profile not in (exercise.get("not_for") or ())


def seed_key(day: date, phase: int, profile: str, exercise_id: str) -> bytes:
    # A stable, well-mixed order per (day, phase, profile); no cryptography needed, and zlib
    # is loaded already, where hashlib would cost ~5 ms of start-up for OpenSSL.
    key = f"{day.isoformat()}:{phase}:{profile}:{exercise_id}".encode()
    return zlib.crc32(key).to_bytes(4, "big") + zlib.adler32(key).to_bytes(4, "big")


def families(library: Mapping[str, Exercise]) -> dict[str, frozenset[str]]:
    """Each exercise with its easier and harder variants (both directions), in one pass."""
    out: dict[str, set[str]] = {i: {i} for i in library}
    for ex in library.values():
        for variant in (ex.get("easier"), ex.get("harder")):
            if variant:
                out[ex["id"]].add(variant)
                out.setdefault(variant, {variant}).add(ex["id"])
    return {i: frozenset(v) for i, v in out.items()}


def family(exercise: Exercise, library: Mapping[str, Exercise]) -> set[str]:
    """The exercise and its easier and harder variants (both directions)."""
    return set(families(library).get(exercise["id"], {exercise["id"]}))


def pool(
    content: Content, phase: Phase, profile: str, day: date, fits: Fits = None
) -> list[Exercise]:
    """The candidates of a phase in the order of `day`'s mix: a dose in the phase, allowed
    for the profile and fitting the person; walking has its own daily goal."""
    number = phase["number"]
    return sorted(
        (
            e
            for e in content["exercises"]["exercises"]
            if dose_for(e, number) is not None and allowed(e, profile) and (fits is None or fits(e))
        ),
        key=lambda e: seed_key(day, number, profile, e["id"]),
    )


def choose_exercises(
    content: Content, phase: Phase, profile: str, day: date, fits: Fits = None
) -> list[Exercise]:
    """A routine drawn fresh for `day`, before any load reduction.

    The phase's `focus` is what the plan draws on: one exercise of each focus category
    first, then more from the focus categories until the session reaches
    `session.min_minutes` (other categories only if the focus runs out; never walking),
    never going over `session.max_minutes` unless covering the focus alone forces it.
    Never two variants (easier/harder) of one exercise.
    """
    session = content["phases"]["session"]
    top = session["max_minutes"]
    library = {e["id"]: e for e in content["exercises"]["exercises"]}
    related = families(library)
    candidates = pool(content, phase, profile, day, fits)
    focus = [
        c for c in dict.fromkeys(phase["focus"]) if any(e["category"] == c for e in candidates)
    ]
    on_focus = [e for e in candidates if e["category"] in focus]
    others = [e for e in candidates if e["category"] not in focus and e["category"] != "walking"]
    shortest = {c: min(e["minutes"] for e in on_focus if e["category"] == c) for c in focus}

    picked: list[Exercise] = []
    taken: set[str] = set()  # ids picked, and their variants
    total = 0

    def take(exercise: Exercise) -> None:
        nonlocal total
        picked.append(exercise)
        taken.update(related[exercise["id"]])
        total += exercise["minutes"]

    for i, category in enumerate(focus):
        # Leave room for the shortest exercise of each category still to come.
        budget = top - total - sum(shortest[c] for c in focus[i + 1 :])
        options = [e for e in on_focus if e["category"] == category and e["id"] not in taken]
        if not options:  # only variants of earlier picks are left: allow one
            used = {e["id"] for e in picked}
            options = [e for e in on_focus if e["category"] == category and e["id"] not in used]
        fitting = [e for e in options if e["minutes"] <= budget]
        take(fitting[0] if fitting else min(options, key=lambda e: e["minutes"]))
    for exercise in on_focus + others:
        if total >= session["min_minutes"]:
            break
        if exercise["id"] not in taken and total + exercise["minutes"] <= top:
            take(exercise)
    return in_session_order(picked, lambda e: e["category"])


def in_session_order(items: list[T], category: Callable[[T], str]) -> list[T]:
    rank = {c: i for i, c in enumerate(CATEGORY_ORDER)}
    return sorted(items, key=lambda item: rank.get(category(item), len(rank)))


def easier_variant(
    exercise: Exercise,
    library: Mapping[str, Exercise],
    phase: int,
    profile: str,
    used: set[str],
    fits: Fits = None,
) -> tuple[Exercise, Dose] | None:
    """The exercise's easier variant with its dose (this phase's, else a lower one's), when
    it suits the profile and the person and is not in the routine already."""
    easier_id = exercise.get("easier")
    easier = library.get(easier_id) if easier_id else None
    if easier is None or easier["id"] in used or not allowed(easier, profile):
        return None
    if fits is not None and not fits(easier):
        return None
    dose = dose_up_to(easier, phase)
    return (easier, dose) if dose is not None else None


def lighter(dose: Dose) -> Dose:
    """One set fewer (at least one); a single set instead gets a third less of its reps,
    seconds or minutes."""
    out = dose.copy()
    sets = dose["sets"]
    if sets > 1:
        out["sets"] = sets - 1
        return out
    for unit in ("reps", "seconds", "minutes"):
        amount = dose.get(unit)
        if isinstance(amount, int):
            # A third less, and never the same amount when a smaller one exists (rounding
            # up 2 x 2/3 would give 2 again).
            out[unit] = max(1, min(amount - 1, math.ceil(amount * 2 / 3)))
    return out
