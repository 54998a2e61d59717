"""Warnings: signs noted in the diary and the diary rules (SPEC §4, §10), with their life
cycle: an urgent sign stays until a doctor has seen it; consult and rule warnings can be
recorded as discussed and then stay silent for a while.

Pure and fast (the `rugcoach today` hot path): standard library only, no clock, no files.
Every threshold comes from content (`phases.yaml` `rules`, each phase's `readiness`); every
text and rule level from `coaching.yaml`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Protocol

from rugcoach.coach.timeline import EPSILON, Day, days, pain_scores, parse_date, window
from rugcoach.vocab import LEVELS

if TYPE_CHECKING:
    from rugcoach.schema import Content, Diary, Phase, Symptom, Text

# The ids of the diary rules (SPEC §4, §10); part of the contract. coaching.yaml must hold a
# `rule_warnings` entry (level, when and message) for each, and content validation checks that.
NO_IMPROVEMENT = "no-improvement"
PHASE_OVERDUE = "phase-overdue"
PAIN_UNCONTROLLED = "pain-uncontrolled"
EXERCISE_PAIN_HIGH = "exercise-pain-high"
PAIN_FLARE = "pain-flare"
MORNING_STIFFNESS = "morning-stiffness"
RULE_IDS: tuple[str, ...] = (
    NO_IMPROVEMENT,
    PHASE_OVERDUE,
    PAIN_UNCONTROLLED,
    EXERCISE_PAIN_HIGH,
    PAIN_FLARE,
    MORNING_STIFFNESS,
)
# The standing warning of the intake screening (SPEC §4); its level is fixed by the spec.
SCREENING = "screening"
SCREENING_LEVEL = "consult"
# Rule warnings a person can record as discussed (SPEC §10): silent for `quiet_days`. The
# `adjust` rules are self-management signals that end by themselves; `screening` stays
# cleared until a new risk factor is recorded.
CLEARABLE_RULES = frozenset({NO_IMPROVEMENT, PHASE_OVERDUE, PAIN_UNCONTROLLED, SCREENING})
# An urgent sign not cleared by its 8th day asks whether the GP was contacted (SPEC §10).
FOLLOW_UP_AFTER_DAYS = 7
# How far back `since` of a rule warning is traced (a bound, so ten years stay fast).
SINCE_LOOKBACK_DAYS = 90

LEVEL_ORDER: Mapping[str, int] = {level: rank for rank, level in enumerate(LEVELS)}


@dataclass(frozen=True)
class Alert:
    """One active warning. (Named Alert so it does not shadow the builtin `Warning`.)"""

    id: str
    level: str  # "urgent" | "consult" | "adjust"
    message: Text  # {nl, en}, from coaching.yaml
    when: str = "days"  # "now" | "days" | "weeks": how soon to act (SPEC §10)
    since: date | None = None  # the day it became active
    clearable: bool = False  # `rugcoach cleared ID` ends (or silences) it
    name: Text | None = None  # a sign's name; None for a rule warning
    # An urgent sign still not cleared from its 8th day on: the days since it was noted.
    follow_up_days: int | None = None

    @property
    def clear_command(self) -> str | None:
        return f"rugcoach cleared {self.id}" if self.clearable else None


def base_alerts(content: Content, diary: Diary | None, day: date) -> list[Alert]:
    """Every warning except `phase-overdue` (which needs the phase readiness, which in turn
    needs these), sorted most serious first."""
    if diary is None:
        return []
    rules = content["phases"]["rules"]
    lookback = _lookback(content)
    # One pass over the days that any rule looks back on, reaching far enough back to trace
    # when an active rule began.
    recent = days(diary["entries"], window(day, lookback + SINCE_LOOKBACK_DAYS)[0], day)
    alerts = symptom_alerts(content, diary, day)
    profile = diary["profile"]
    if profile["screening_flags"] and not profile["screening_cleared"]:
        alerts.append(replace(screening_alert(content), since=parse_date(profile["start_date"])))
    early = _early_scores(content, diary)
    checks: list[tuple[str, Callable[[date], bool]]] = [
        (NO_IMPROVEMENT, lambda d: _no_improvement(content, diary, early, recent, d)),
        (PAIN_UNCONTROLLED, lambda d: _pain_uncontrolled(content, recent, d)),
        (EXERCISE_PAIN_HIGH, lambda d: _exercise_pain_high(content, recent, d)),
        (PAIN_FLARE, lambda d: _pain_flare(content, recent, d)),
        (MORNING_STIFFNESS, lambda d: _morning_stiffness(content, recent, d)),
    ]
    for rule_id, active in checks:
        if not active(day):
            continue
        if rule_id in CLEARABLE_RULES and quiet(diary, rule_id, day, rules["quiet_days"]):
            continue
        alerts.append(replace(rule_alert(content, rule_id), since=_since(active, day)))
    return sort_alerts(alerts)


def adjust_active(content: Content, diary: Diary, day: date) -> bool:
    """An `adjust` warning is active on `day` (the progression's step rule, SPEC §11): the
    same rules as `base_alerts`, without tracing when each began."""
    recent = days(diary["entries"], window(day, _lookback(content))[0], day)
    if (
        _exercise_pain_high(content, recent, day)
        or _pain_flare(content, recent, day)
        or _morning_stiffness(content, recent, day)
    ):
        return True
    return any(a.level == "adjust" for a in symptom_alerts(content, diary, day))


def _lookback(content: Content) -> int:
    rules = content["phases"]["rules"]
    return max(
        rules["symptom_window_days"],
        rules["exercise_pain_high"]["window_days"],
        rules["morning_stiffness"]["window_days"],
        rules["no_improvement"]["window_days"],
        rules["pain_uncontrolled"]["days"],
        rules["pain_flare"]["baseline_days"] + 2,  # the flare day may be D-1
    )


def _since(active: Callable[[date], bool], day: date) -> date:
    """The first day of the run of days, ending on `day`, on which `active` holds."""
    first = day
    for back in range(1, SINCE_LOOKBACK_DAYS + 1):
        earlier = day - timedelta(days=back)
        if not active(earlier):
            break
        first = earlier
    return first


class PhaseFacts(Protocol):
    """What `phase-overdue` needs of the phase status (which `coach.phase` makes, from these
    alerts: so the status is described here, not imported)."""

    @property
    def overdue(self) -> bool: ...
    @property
    def started(self) -> date: ...
    @property
    def phase(self) -> Phase: ...


def with_phase_overdue(
    content: Content,
    diary: Diary | None,
    alerts: Sequence[Alert],
    status: PhaseFacts,
    day: date,
) -> list[Alert]:
    """`alerts` plus `phase-overdue` when the phase is overdue without clear improvement
    and the person has not recently recorded it as discussed, sorted most serious first."""
    out = [a for a in alerts if a.id != PHASE_OVERDUE]
    quiet_days = content["phases"]["rules"]["quiet_days"]
    if status.overdue and not (diary and quiet(diary, PHASE_OVERDUE, day, quiet_days)):
        readiness = status.phase["readiness"]
        since = status.started + timedelta(days=readiness["max_days"]) if readiness else day
        out.append(replace(rule_alert(content, PHASE_OVERDUE), since=min(since, day)))
    return sort_alerts(out)


def sort_alerts(alerts: Iterable[Alert]) -> list[Alert]:
    """Most serious first; within a level, the order given (stable)."""
    return sorted(alerts, key=lambda a: LEVEL_ORDER.get(a.level, len(LEVEL_ORDER)))


def rule_alert(content: Content, rule_id: str) -> Alert:
    for rule in content["coaching"]["rule_warnings"]:
        if rule["id"] == rule_id:
            return Alert(
                rule_id, rule["level"], rule["message"], rule["when"],
                clearable=rule_id in CLEARABLE_RULES,
            )  # fmt: skip
    # Never silently drop a warning: content validation must guarantee every rule id.
    raise LookupError(f"coaching.yaml has no rule_warnings entry for {rule_id!r}")


def screening_alert(content: Content) -> Alert:
    """The standing screening warning: coaching.yaml's `rule_warnings` entry `screening`
    when there is one (content validation requires it), else `screening_warning` at the
    level the SPEC gives it."""
    for rule in content["coaching"]["rule_warnings"]:
        if rule["id"] == SCREENING:
            return Alert(SCREENING, rule["level"], rule["message"], rule["when"], clearable=True)
    return Alert(
        SCREENING, SCREENING_LEVEL, content["coaching"]["screening_warning"], "weeks",
        clearable=True,
    )  # fmt: skip


# ----------------------------------------------------------------------------- clearances


def last_clearance(diary: Diary, alert_id: str, day: date) -> tuple[date, str | None] | None:
    """The latest clearance of `alert_id` on or before `day`: its date and time (None: the
    whole day)."""
    found: tuple[date, str] | None = None
    for clearance in diary.get("clearances") or ():
        if clearance["id"] == alert_id:
            when = parse_date(clearance["date"])
            key = (when, clearance["time"] or "99:99")
            if when <= day and (found is None or key > found):
                found = key
    if found is None:
        return None
    return found[0], None if found[1] == "99:99" else found[1]


def quiet(diary: Diary, alert_id: str, day: date, quiet_days: int) -> bool:
    """A consult or rule warning cleared within the last `quiet_days` days (SPEC §10)."""
    cleared = last_clearance(diary, alert_id, day)
    return cleared is not None and (day - cleared[0]).days < quiet_days


# -------------------------------------------------------------------------------- symptoms


def symptom_index(content: Content) -> dict[str, Symptom]:
    """Each symptom by its id (the diary stores ids)."""
    return {symptom["id"]: symptom for symptom in content["coaching"]["symptoms"]}


def symptom_level(symptom: Symptom, profile: str) -> str:
    """The symptom's level, or the level its `profile_levels` gives this profile."""
    return (symptom.get("profile_levels") or {}).get(profile, symptom["level"])  # type: ignore[call-overload, no-any-return]


def effective(symptom: Symptom, profile: str, risks: Iterable[str]) -> tuple[str, str, Text]:
    """(level, when, message) of a sign for this person: the profile's level, then the
    escalation a recorded risk factor brings (SPEC §10), the most serious one winning."""
    level = symptom_level(symptom, profile)
    when, message = symptom["when"], symptom["message"]
    held = set(risks)
    for escalation in symptom.get("escalations") or ():
        if escalation["risk"] in held and LEVEL_ORDER[escalation["level"]] <= LEVEL_ORDER[level]:
            level, when, message = escalation["level"], escalation["when"], escalation["message"]
    return level, when, message


def symptom_dates(diary: Diary, day: date) -> dict[str, list[tuple[date, str]]]:
    """For each symptom id noted on or before `day`, when it was noted (date, and time or
    ""), oldest first."""
    last = day.isoformat()
    out: dict[str, set[tuple[str, str]]] = {}
    for entry in diary["entries"]:
        noted = entry["symptoms"]
        if noted and entry["date"] <= last:
            for sign in noted:
                out.setdefault(sign, set()).add((entry["date"], entry["time"] or ""))
    return {
        sign: sorted((parse_date(d), time) for d, time in moments) for sign, moments in out.items()
    }


def _after(moment: tuple[date, str], cleared: tuple[date, str | None] | None) -> bool:
    """Noted after the clearance: on a later day, or later on its day (an entry without a
    time, or a clearance of an earlier day, counts as covered that day)."""
    if cleared is None:
        return True
    day, time = moment
    if day != cleared[0]:
        return day > cleared[0]
    return cleared[1] is not None and time > cleared[1]


Moments = dict[str, list[tuple[date, str]]]


def _by_sign_id(content: Content, noted: Moments) -> Moments:
    """`noted` keyed by sign id. rugcoach stores ids, but a diary edited by hand or an old
    import may hold a word for a sign ("koorts"): it counts as that sign, never as nothing."""
    ids = {s["id"] for s in content["coaching"]["symptoms"]}
    if all(key in ids for key in noted):
        return noted
    from rugcoach.content import signs

    known = signs.index(content)
    out: Moments = {}
    for key, moments in noted.items():
        found = signs.match(key, content, known)
        for sign in found.ids if found else ():
            out[sign] = sorted({*out.get(sign, []), *moments})
    return out


def symptom_alerts(content: Content, diary: Diary, day: date) -> list[Alert]:
    """One alert per active sign, in the order of coaching.yaml (SPEC §10 life cycle):

    - an urgent sign is active from the day it was noted until it is recorded as cleared
      (a doctor has seen it); noted again after that, it is active again;
    - a consult (or adjust) sign counts for the `symptom_window_days` days ending on `day`,
      and a clearance silences it for `quiet_days` from the clearance date.
    """
    rules = content["phases"]["rules"]
    first, _ = window(day, rules["symptom_window_days"])
    profile = diary["profile"]
    noted = _by_sign_id(content, symptom_dates(diary, day))
    out: list[Alert] = []
    for symptom in content["coaching"]["symptoms"]:
        moments = noted.get(symptom["id"])
        if not moments:
            continue
        level, when, message = effective(symptom, profile["profile"], profile["screening_flags"])
        cleared = last_clearance(diary, symptom["id"], day)
        follow_up = None
        if level == "urgent":
            still_open = [d for d, time in moments if _after((d, time), cleared)]
            if not still_open:
                continue
            since = still_open[0]
            waited = (day - since).days
            follow_up = waited if waited >= FOLLOW_UP_AFTER_DAYS else None
        else:
            recent = [d for d, _ in moments if first <= d]
            if not recent or quiet(diary, symptom["id"], day, rules["quiet_days"]):
                continue
            since = recent[0]
        out.append(
            Alert(symptom["id"], level, message, when, since, True, symptom["name"], follow_up)
        )
    return out


# ------------------------------------------------------------------------- diary rules


def _early_scores(content: Content, diary: Diary) -> list[float]:
    """The day pain scores of the diary's first `no_improvement.window_days` days."""
    size = content["phases"]["rules"]["no_improvement"]["window_days"]
    start = parse_date(diary["profile"]["start_date"])
    last = start + timedelta(days=size - 1)
    return pain_scores(days(diary["entries"], start, last), start, last)


def _no_improvement(
    content: Content,
    diary: Diary,
    early: Sequence[float],
    recent: Mapping[date, Day],
    day: date,
) -> bool:
    """≥ min_days_since_start days since the start; ≥ min_pain_scores scores in both the
    first and the last window; the last window's mean above min_recent_mean and not lower
    than the first window's mean."""
    rule = content["phases"]["rules"]["no_improvement"]
    start = parse_date(diary["profile"]["start_date"])
    if (day - start).days < rule["min_days_since_start"]:
        return False
    late = pain_scores(recent, *window(day, rule["window_days"]))
    need = rule["min_pain_scores"]
    if len(early) < need or len(late) < need:
        return False
    early_mean, late_mean = sum(early) / len(early), sum(late) / len(late)
    return late_mean > rule["min_recent_mean"] + EPSILON and late_mean >= early_mean - EPSILON


def _pain_uncontrolled(content: Content, recent: Mapping[date, Day], day: date) -> bool:
    """A day pain score of at least `min_pain` on each of the last `days` days (SPEC §10)."""
    rule = content["phases"]["rules"]["pain_uncontrolled"]
    for back in range(rule["days"]):
        item = recent.get(day - timedelta(days=back))
        if item is None or item.pain is None or item.pain < rule["min_pain"] - EPSILON:
            return False
    return True


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
    "CLEARABLE_RULES",
    "RULE_IDS",
    "SCREENING",
    "Alert",
    "adjust_active",
    "base_alerts",
    "effective",
    "last_clearance",
    "quiet",
    "rule_alert",
    "screening_alert",
    "sort_alerts",
    "symptom_alerts",
    "with_phase_overdue",
]
