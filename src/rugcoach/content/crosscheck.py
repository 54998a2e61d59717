"""Problems that no single content file shows: ids that must exist, coverage, both languages.

Each check is a function of the whole content that returns its own problems, so that it
can be read (and tested) on its own; `cross_check` runs them in the fixed order of
`CHECKS`, so the problems of a file always come out in the same order. Imported only when
content is validated (`load` asks for it), never on the cached start-up path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, TypeAlias

from rugcoach.content.signs import words_of
from rugcoach.i18n import t
from rugcoach.vocab import LANGS
from rugcoach.words import normalise

if TYPE_CHECKING:
    from rugcoach.schema import Content, Exercise, Readiness, Symptom

Loc: TypeAlias = "tuple[str | int, ...]"
# (kind of file, location in it, field, message)
CrossProblem: TypeAlias = "tuple[str, Loc, str, str]"
Check: TypeAlias = "Callable[[Content], list[CrossProblem]]"

# Ids that other parts of rugcoach (and the SPEC) rely on: a replacement file must keep them.
REQUIRED_SYMPTOMS = (
    "saddle-numbness",
    "bladder-bowel",
    "both-legs",
    "progressive-weakness",
    "trauma",
    "radiating-leg-pain",
    "leg-weakness",
    "numbness",
    "fever",
    "weight-loss",
    "night-pain",
)
REQUIRED_RULE_WARNINGS = (
    "no-improvement",
    "phase-overdue",
    "pain-uncontrolled",
    "exercise-pain-high",
    "pain-flare",
    "morning-stiffness",
    "screening",
)

# SPEC §10: at least this many words per language for a sign of each level.
MIN_ALIASES = {"urgent": 6, "consult": 4, "adjust": 0}

# The dose amounts: a dose gives exactly one of them.
AMOUNTS = ("reps", "seconds", "minutes")


def _where(loc: Loc) -> str:
    """The field as a person finds it in the file: `phases[0].readiness`."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _problem(kind: str, loc: Loc, message: str) -> CrossProblem:
    return (kind, loc, _where(loc), message)


def _phase_numbers(content: Content) -> list[int]:
    return [p["number"] for p in content["phases"]["phases"]]


def _exercise_ids(content: Content) -> set[str]:
    return {ex["id"] for ex in content["exercises"]["exercises"]}


# --- phases.yaml -------------------------------------------------------------------------


def check_phase_numbers(content: Content) -> list[CrossProblem]:
    numbers = _phase_numbers(content)
    if numbers == list(range(1, len(numbers) + 1)):
        return []
    return [_problem("phases", ("phases",), t("check.phase_numbers"))]


def check_readiness(content: Content) -> list[CrossProblem]:
    """Every phase but the last has readiness rules, and they can be met."""
    phases = content["phases"]["phases"]
    out: list[CrossProblem] = []
    for i, phase in enumerate(phases):
        final = i == len(phases) - 1
        out += _readiness_problems(("phases", i, "readiness"), phase["readiness"], final)
    return out


def _readiness_problems(loc: Loc, ready: Readiness | None, final: bool) -> list[CrossProblem]:
    if ready is None:
        return [] if final else [_problem("phases", loc, t("check.readiness_missing"))]
    out: list[CrossProblem] = []
    if final:
        # The last phase has nowhere to move on to: rules there would never be used.
        out.append(_problem("phases", loc, t("check.final_readiness")))
    if ready["min_days"] > ready["max_days"]:
        out.append(_problem("phases", loc, t("check.min_max_days")))
    for profile, own in (ready.get("profiles") or {}).items():
        # Past max_days a phase not yet ready counts as overdue: a profile made to wait
        # longer than that would be warned before it could ever move on.
        if own.get("min_days", 0) > ready["max_days"]:
            where = (*loc, "profiles", profile)
            out.append(_problem("phases", where, t("check.profile_min_days", profile=profile)))
    return out


def check_session(content: Content) -> list[CrossProblem]:
    session = content["phases"]["session"]
    if session["min_minutes"] <= session["max_minutes"]:
        return []
    return [_problem("phases", ("session",), t("check.min_max_minutes"))]


def check_progression_steps(content: Content) -> list[CrossProblem]:
    progression = content["phases"].get("progression")
    steps: dict[str, Any] = dict(progression["steps"]) if progression else {}
    return [
        _problem("phases", ("progression", "steps", unit, "step"), t("check.step_over_top"))
        for unit, grow in steps.items()
        if grow["step"] > grow["top"]
    ]


def check_nerve_glide_symptoms(content: Content) -> list[CrossProblem]:
    known = {s["id"] for s in content["coaching"]["symptoms"]}
    fitting = content["phases"].get("fitting")
    return [
        _problem(
            "phases", ("fitting", "nerve_glide_symptoms", j), t("check.unknown_symptom", id=sign)
        )
        for j, sign in enumerate(fitting["nerve_glide_symptoms"] if fitting else ())
        if sign not in known
    ]


# --- exercises.yaml ----------------------------------------------------------------------


def _duplicate_ids(kind: str, key: str, items: Any) -> list[CrossProblem]:
    """Every item whose id an earlier item of the list has already."""
    seen: set[str] = set()
    out: list[CrossProblem] = []
    for i, item in enumerate(items):
        if item["id"] in seen:
            out.append(_problem(kind, (key, i, "id"), t("check.duplicate_id", id=item["id"])))
        seen.add(item["id"])
    return out


def check_exercise_ids(content: Content) -> list[CrossProblem]:
    return _duplicate_ids("exercises", "exercises", content["exercises"]["exercises"])


def check_exercises(content: Content) -> list[CrossProblem]:
    """Each exercise's doses, pace and easier/harder links, one exercise after the other."""
    numbers = _phase_numbers(content)
    ids = _exercise_ids(content)
    out: list[CrossProblem] = []
    for i, ex in enumerate(content["exercises"]["exercises"]):
        out += _dose_problems(i, ex, numbers)
        out += _rep_seconds_problems(i, ex)
        out += _link_problems(i, ex, ids)
    return out


def _dose_problems(i: int, ex: Exercise, numbers: list[int]) -> list[CrossProblem]:
    seen: set[int] = set()
    out: list[CrossProblem] = []
    for j, dose in enumerate(ex["dose"]):
        loc: Loc = ("exercises", i, "dose", j)
        if dose["phase"] in seen:
            out.append(_problem("exercises", (*loc, "phase"), t("check.dose_twice")))
        if dose["phase"] not in numbers:
            out.append(_problem("exercises", (*loc, "phase"), t("check.no_such_phase")))
        if sum(k in dose for k in AMOUNTS) != 1:
            out.append(_problem("exercises", loc, t("check.dose_amount")))
        seen.add(dose["phase"])
    return out


def _rep_seconds_problems(i: int, ex: Exercise) -> list[CrossProblem]:
    if "rep_seconds" not in ex or any("reps" in dose for dose in ex["dose"]):
        return []
    # A pace for repetitions that no dose counts is a slip (seconds meant?).
    return [_problem("exercises", ("exercises", i, "rep_seconds"), t("check.rep_seconds_unused"))]


def _link_problems(i: int, ex: Exercise, ids: set[str]) -> list[CrossProblem]:
    out: list[CrossProblem] = []
    for link in ("easier", "harder"):
        target = ex.get(link)
        # An exercise that is its own easier (or harder) version would step in place.
        if target is not None and (target not in ids or target == ex["id"]):
            out.append(
                _problem(
                    "exercises", ("exercises", i, link), t("check.unknown_exercise", id=target)
                )
            )
    return out


# --- phases and exercises together -------------------------------------------------------


def check_focus_coverage(content: Content) -> list[CrossProblem]:
    """Each category a phase focuses on has an exercise with a dose for that phase."""
    covered = {
        (ex["category"], dose["phase"])
        for ex in content["exercises"]["exercises"]
        for dose in ex["dose"]
    }
    return [
        _problem(
            "phases",
            ("phases", i, "focus"),
            t("check.focus_uncovered", category=category, phase=phase["number"]),
        )
        for i, phase in enumerate(content["phases"]["phases"])
        for category in phase["focus"]
        if (category, phase["number"]) not in covered
    ]


# --- coaching.yaml -----------------------------------------------------------------------


def check_routine_exercises(content: Content) -> list[CrossProblem]:
    routines = content["coaching"]["daily_routines"]
    ids = _exercise_ids(content)
    return [
        _problem(
            "coaching",
            ("daily_routines", part, "exercises", j),
            t("check.unknown_exercise", id=ex_id),
        )
        for part in ("morning", "afternoon", "evening")
        for j, ex_id in enumerate(routines[part]["exercises"])
        if ex_id not in ids
    ]


def check_sign_words(content: Content) -> list[CrossProblem]:
    """Every sign has enough words in each language, and no word names two signs (after
    folding case, accents and spaces versus hyphens, as matching does); escalations name
    a screening question."""
    coaching = content["coaching"]
    risks = {q["id"] for q in coaching["screening"]}
    owner: dict[str, str] = {}
    out: list[CrossProblem] = []
    for i, symptom in enumerate(coaching["symptoms"]):
        out += _alias_count_problems(i, symptom)
        out += _shared_word_problems(i, symptom, owner)
        out += _escalation_problems(i, symptom, risks)
    return out


def _alias_count_problems(i: int, symptom: Symptom) -> Iterator[CrossProblem]:
    need = MIN_ALIASES.get(symptom["level"], 0)
    # Indexed by a language of LANGS, which mypy cannot tie to the TypedDict's keys.
    aliases: Any = symptom["aliases"]
    for lang in LANGS:
        have = len({normalise(a) for a in aliases[lang]})
        if have < need:
            message = t("check.too_few_aliases", have=have, need=need, level=symptom["level"])
            yield _problem("coaching", ("symptoms", i, "aliases", lang), message)


def _shared_word_problems(
    i: int, symptom: Symptom, owner: dict[str, str]
) -> Iterator[CrossProblem]:
    """Words of `symptom` that an earlier sign already has; `owner` learns the new ones."""
    for word in dict.fromkeys(normalise(w) for w in words_of(symptom)):
        other = owner.setdefault(word, symptom["id"])
        if other != symptom["id"]:
            message = t("check.shared_alias", word=word, other=other)
            yield _problem("coaching", ("symptoms", i, "aliases"), message)


def _escalation_problems(i: int, symptom: Symptom, risks: set[str]) -> Iterator[CrossProblem]:
    for j, escalation in enumerate(symptom.get("escalations") or ()):
        if escalation["risk"] not in risks:
            message = t("check.unknown_risk", id=escalation["risk"])
            yield _problem("coaching", ("symptoms", i, "escalations", j, "risk"), message)


def check_required_ids(content: Content) -> list[CrossProblem]:
    coaching = content["coaching"]
    return [
        _problem("coaching", (kind,), t("check.required_missing", id=missing))
        for kind, have, required in (
            ("symptoms", {s["id"] for s in coaching["symptoms"]}, REQUIRED_SYMPTOMS),
            ("rule_warnings", {r["id"] for r in coaching["rule_warnings"]}, REQUIRED_RULE_WARNINGS),
        )
        for missing in required
        if missing not in have
    ]


def check_tip_ids(content: Content) -> list[CrossProblem]:
    return _duplicate_ids("coaching", "tips", content["coaching"]["tips"])


# --- every file --------------------------------------------------------------------------


def check_blank_texts(content: Content) -> list[CrossProblem]:
    """Texts where a language holds only white space (the schema already refuses empty)."""
    files: tuple[tuple[str, Any], ...] = (
        ("phases", content["phases"]),
        ("exercises", content["exercises"]),
        ("coaching", content["coaching"]),
    )
    return [
        _problem(kind, loc, t("check.blank_text"))
        for kind, tree in files
        for loc in _blank_texts(tree, ())
    ]


def _blank_texts(node: Any, loc: Loc) -> Iterator[Loc]:
    """Locations of {nl, en} texts where a language holds only white space."""
    if _is_text(node):
        yield from ((*loc, lang) for lang in LANGS if not node[lang].strip())
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _blank_texts(value, (*loc, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _blank_texts(value, (*loc, i))


def _is_text(node: Any) -> bool:
    # A sign's word lists have the same keys as a text, but hold lists.
    return (
        isinstance(node, dict)
        and set(node) == set(LANGS)
        and all(isinstance(v, str) for v in node.values())
    )


# The order problems are reported in: fixed, so that `content validate` lists the problems
# of a file the same way every time (and as it did before the checks were split).
CHECKS: tuple[Check, ...] = (
    check_phase_numbers,
    check_readiness,
    check_session,
    check_progression_steps,
    check_nerve_glide_symptoms,
    check_exercise_ids,
    check_exercises,
    check_focus_coverage,
    check_routine_exercises,
    check_sign_words,
    check_required_ids,
    check_tip_ids,
    check_blank_texts,
)


def cross_check(content: Content) -> list[CrossProblem]:
    """Every problem of every check, in the order of CHECKS.

    Each problem is (kind of file, location in it, field, message).
    """
    return [problem for check in CHECKS for problem in check(content)]
