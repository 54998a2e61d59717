"""Warnings: symptoms noted in the diary and the diary rules of SPEC §4.

Pure and fast (the `rugcoach today` hot path): standard library only, no clock, no files.
Every threshold comes from content (`phases.yaml` `rules`, each phase's `readiness`); every
text and rule level from `coaching.yaml`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from rugcoach.timeline import EPSILON, Day, days, pain_scores, parse_date, window
from rugcoach.vocab import LEVELS

if TYPE_CHECKING:
    from rugcoach.coach import PhaseStatus
    from rugcoach.schema import Content, Diary, Symptom, Text

# The ids of the diary rules (SPEC §4); part of the contract. coaching.yaml must hold a
# `rule_warnings` entry (level and message) for each, and content validation checks that.
NO_IMPROVEMENT = "no-improvement"
PHASE_OVERDUE = "phase-overdue"
EXERCISE_PAIN_HIGH = "exercise-pain-high"
PAIN_FLARE = "pain-flare"
MORNING_STIFFNESS = "morning-stiffness"
RULE_IDS: tuple[str, ...] = (
    NO_IMPROVEMENT,
    PHASE_OVERDUE,
    EXERCISE_PAIN_HIGH,
    PAIN_FLARE,
    MORNING_STIFFNESS,
)
# The standing warning of the intake screening (SPEC §4); its level is fixed by the spec.
SCREENING = "screening"
SCREENING_LEVEL = "consult"

LEVEL_ORDER: Mapping[str, int] = {level: rank for rank, level in enumerate(LEVELS)}


@dataclass(frozen=True)
class Alert:
    """One active warning. (Named Alert so it does not shadow the builtin `Warning`.)"""

    id: str
    level: str  # "urgent" | "consult" | "adjust"
    message: Text  # {nl, en}, from coaching.yaml


def evaluate(
    content: Content,
    diary: Diary | None,
    day: date,
    *,
    phase_status_hint: PhaseStatus | None = None,
) -> list[Alert]:
    """Every warning active on `day`, most serious first (urgent, consult, adjust).

    `phase_status_hint`: the phase status of `day` if the caller already has it (it decides
    `phase-overdue`); otherwise it is worked out here.
    """
    if diary is None:
        return []
    alerts = base_alerts(content, diary, day)
    status = phase_status_hint
    if status is None:
        from rugcoach.coach import phase_status  # coach imports this module

        status = phase_status(content, diary, day, alerts=alerts)
    return with_phase_overdue(content, alerts, status.overdue)


def base_alerts(content: Content, diary: Diary | None, day: date) -> list[Alert]:
    """Every warning except `phase-overdue` (which needs the phase readiness, which in turn
    needs these), sorted most serious first."""
    if diary is None:
        return []
    rules = content["phases"]["rules"]
    entries = diary["entries"]
    # One pass over the diary for every rule that looks back from `day`.
    lookback = max(
        rules["symptom_window_days"],
        rules["exercise_pain_high"]["window_days"],
        rules["morning_stiffness"]["window_days"],
        rules["no_improvement"]["window_days"],
        rules["pain_flare"]["baseline_days"] + 2,  # the flare day may be D-1
    )
    recent = days(entries, window(day, lookback)[0], day)

    alerts = symptom_alerts(content, diary["profile"]["profile"], recent, day)
    profile = diary["profile"]
    if profile["screening_flags"] and not profile["screening_cleared"]:
        alerts.append(screening_alert(content))
    if _no_improvement(content, diary, recent, day):
        alerts.append(rule_alert(content, NO_IMPROVEMENT))
    if _exercise_pain_high(content, recent, day):
        alerts.append(rule_alert(content, EXERCISE_PAIN_HIGH))
    if _pain_flare(content, recent, day):
        alerts.append(rule_alert(content, PAIN_FLARE))
    if _morning_stiffness(content, recent, day):
        alerts.append(rule_alert(content, MORNING_STIFFNESS))
    return sort_alerts(alerts)


def with_phase_overdue(content: Content, alerts: Sequence[Alert], overdue: bool) -> list[Alert]:
    """`alerts` plus `phase-overdue` when the phase is overdue, sorted most serious first."""
    out = [a for a in alerts if a.id != PHASE_OVERDUE]
    if overdue:
        out.append(rule_alert(content, PHASE_OVERDUE))
    return sort_alerts(out)


def sort_alerts(alerts: Iterable[Alert]) -> list[Alert]:
    """Most serious first; within a level, the order given (stable)."""
    return sorted(alerts, key=lambda a: LEVEL_ORDER.get(a.level, len(LEVEL_ORDER)))


def rule_alert(content: Content, rule_id: str) -> Alert:
    for rule in content["coaching"]["rule_warnings"]:
        if rule["id"] == rule_id:
            return Alert(rule_id, rule["level"], rule["message"])
    # Never silently drop a warning: content validation must guarantee every rule id.
    raise LookupError(f"coaching.yaml has no rule_warnings entry for {rule_id!r}")


def screening_alert(content: Content) -> Alert:
    """The standing screening warning: coaching.yaml's `rule_warnings` entry `screening`
    when there is one (content validation requires it), else `screening_warning` at the
    level the SPEC gives it."""
    for rule in content["coaching"]["rule_warnings"]:
        if rule["id"] == SCREENING:
            return Alert(SCREENING, rule["level"], rule["message"])
    return Alert(SCREENING, SCREENING_LEVEL, content["coaching"]["screening_warning"])


def symptom_index(content: Content) -> dict[str, Symptom]:
    """Each symptom by its id and by each of its aliases."""
    index: dict[str, Symptom] = {}
    for symptom in content["coaching"]["symptoms"]:
        for alias in symptom.get("aliases") or ():
            index.setdefault(alias, symptom)
    for symptom in content["coaching"]["symptoms"]:
        index[symptom["id"]] = symptom
    return index


def symptom_level(symptom: Symptom, profile: str) -> str:
    """The symptom's level, or the level its `profile_levels` gives this profile."""
    return (symptom.get("profile_levels") or {}).get(profile, symptom["level"])  # type: ignore[call-overload, no-any-return]


def symptom_alerts(
    content: Content, profile: str, by_day: Mapping[date, Day], day: date
) -> list[Alert]:
    """One alert per symptom noted on D-(window-1) … D, in the order of coaching.yaml."""
    first, last = window(day, content["phases"]["rules"]["symptom_window_days"])
    index = symptom_index(content)
    seen: set[str] = set()
    for when, item in by_day.items():
        if first <= when <= last:
            for noted in item.symptoms:
                symptom = index.get(noted)
                if symptom is not None:  # unknown ids cannot be logged; ignore old ones
                    seen.add(symptom["id"])
    return [
        Alert(s["id"], symptom_level(s, profile), s["message"])
        for s in content["coaching"]["symptoms"]
        if s["id"] in seen
    ]


# ------------------------------------------------------------------------- diary rules


def _no_improvement(content: Content, diary: Diary, recent: Mapping[date, Day], day: date) -> bool:
    """≥ min_days_since_start days since the start; ≥ min_pain_scores scores in both the
    first and the last window; the last window's mean above min_recent_mean and not lower
    than the first window's mean."""
    rule = content["phases"]["rules"]["no_improvement"]
    start = parse_date(diary["profile"]["start_date"])
    if (day - start).days < rule["min_days_since_start"]:
        return False
    size = rule["window_days"]
    # The first window never reaches past `day` (only with unusual thresholds could it).
    first_last = min(start + timedelta(days=size - 1), day)
    early = pain_scores(days(diary["entries"], start, first_last), start, first_last)
    late = pain_scores(recent, *window(day, size))
    need = rule["min_pain_scores"]
    if len(early) < need or len(late) < need:
        return False
    early_mean, late_mean = sum(early) / len(early), sum(late) / len(late)
    return late_mean > rule["min_recent_mean"] + EPSILON and late_mean >= early_mean - EPSILON


def _exercise_pain_high(content: Content, recent: Mapping[date, Day], day: date) -> bool:
    """An exercise pain above `above` on the last `window_days` days."""
    rule = content["phases"]["rules"]["exercise_pain_high"]
    first, last = window(day, rule["window_days"])
    return any(
        first <= when <= last and d.exercise_pain is not None and d.exercise_pain > rule["above"]
        for when, d in recent.items()
    )


def flare_day(by_day: Mapping[date, Day], day: date) -> date | None:
    """The day a flare is judged on: `day` if it has a pain score, else the day before if
    that has one, else none."""
    for when in (day, day - timedelta(days=1)):
        item = by_day.get(when)
        if item is not None and item.pain is not None:
            return when
    return None


def _pain_flare(content: Content, recent: Mapping[date, Day], day: date) -> bool:
    """The flare day's score is `rise` or more above the mean of the scores of the
    `baseline_days` days before it, when at least `min_baseline_scores` of those have one."""
    rule = content["phases"]["rules"]["pain_flare"]
    when = flare_day(recent, day)
    if when is None:
        return False
    score = recent[when].pain
    assert score is not None
    baseline = pain_scores(
        recent, when - timedelta(days=rule["baseline_days"]), when - timedelta(days=1)
    )
    if len(baseline) < rule["min_baseline_scores"]:
        return False
    return score - sum(baseline) / len(baseline) >= rule["rise"] - EPSILON


def _morning_stiffness(content: Content, recent: Mapping[date, Day], day: date) -> bool:
    """Stiffness over `above_minutes` on at least `min_days` of the last `window_days`."""
    rule = content["phases"]["rules"]["morning_stiffness"]
    first, last = window(day, rule["window_days"])
    stiff = sum(
        1
        for when, d in recent.items()
        if first <= when <= last
        and d.stiffness_minutes is not None
        and d.stiffness_minutes > rule["above_minutes"]
    )
    return stiff >= rule["min_days"]


__all__ = [
    "RULE_IDS",
    "SCREENING",
    "Alert",
    "base_alerts",
    "evaluate",
    "rule_alert",
    "screening_alert",
    "sort_alerts",
    "symptom_alerts",
    "with_phase_overdue",
]
