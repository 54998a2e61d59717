"""The warnings seen in a report's period (SPEC §3 `summary`, §7 exports), in a bounded
scheme, so ten years do not mean 3,650 rule evaluations:

- symptoms: every warning sign logged anywhere in the period, with its level for the
  person's profile, on how many days, first and last date (read from the report's one pass
  over the period's days);
- diary rules (no improvement, phase overdue, exercise pain, flare, stiffness, screening):
  evaluated for each day of the last `RULE_WEEKS` weeks of the period only, on a copy of
  the diary trimmed to the entries those rules can look at.

Pure, standard library only at import time, like `reports/progress.py`, which calls it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from rugcoach.coach.timeline import Day, parse_date

if TYPE_CHECKING:
    from rugcoach.schema import Content, Diary, Text

# The diary rules are checked for each day of this many last weeks of the period.
RULE_WEEKS = 12


@dataclass(frozen=True)
class SeenWarning:
    id: str
    level: str  # urgent | consult | adjust
    message: Text
    name: Text | None  # a symptom's plain description; None for a rule (see report_format)
    source: str  # "symptom" (logged) | "rule" (raised by a diary rule)
    days: int  # days logged (symptom) / days active among those checked (rule)
    first: date
    last: date


def warnings_seen(
    content: Content,
    diary: Diary | None,
    by_day: Mapping[date, Day],
    first: date,
    last: date,
) -> tuple[tuple[SeenWarning, ...], date | None]:
    """The warnings seen in [first, last] (`by_day`: its days), most serious first, and the
    first day the diary rules were checked on (None without a diary)."""
    from rugcoach.coach import alerts as alert_rules

    found: dict[str, list[Any]] = {}  # id -> [level, message, name, source, days, first, last]

    def note(alert_id: str, level: str, message: Text, name: Text | None, when: date) -> None:
        item = found.get(alert_id)
        if item is None:
            source = "rule" if name is None else "symptom"
            found[alert_id] = [level, message, name, source, 1, when, when]
        else:
            item[4] += 1
            item[6] = when

    index = alert_rules.symptom_index(content)
    profile = diary["profile"]["profile"] if diary is not None else "general"
    for when, day in by_day.items():
        for noted in day.symptoms:
            symptom = index.get(noted)
            if symptom is not None:
                level = alert_rules.symptom_level(symptom, profile)
                note(symptom["id"], level, symptom["message"], symptom["description"], when)

    rules_from = None
    if diary is not None:
        rules_from = max(first, last - timedelta(days=7 * RULE_WEEKS - 1))
        _rule_warnings(content, diary, rules_from, last, note)

    order = {s["id"]: i for i, s in enumerate(content["coaching"]["symptoms"])}
    rules = {
        r: len(order) + i for i, r in enumerate((*alert_rules.RULE_IDS, alert_rules.SCREENING))
    }
    ranked = sorted(
        found.items(),
        key=lambda kv: (
            alert_rules.LEVEL_ORDER.get(kv[1][0], 9),
            kv[1][3] != "symptom",
            order.get(kv[0], rules.get(kv[0], 99)),
        ),
    )
    seen = tuple(SeenWarning(key, *item) for key, item in ranked)
    return seen, rules_from


def _rule_warnings(content: Content, diary: Diary, lo: date, hi: date, note: Any) -> None:
    """The diary-rule warnings active on each day of [lo, hi] (symptoms are counted apart)."""
    from rugcoach.coach import alerts as alert_rules
    from rugcoach.coach.phase import phase_status

    symptoms = {s["id"] for s in content["coaching"]["symptoms"]}
    trimmed = _trimmed(content, diary, lo, hi)
    day = lo
    while day <= hi:
        base = alert_rules.base_alerts(content, trimmed, day)
        status = phase_status(content, trimmed, day, alerts=base)
        for alert in alert_rules.with_phase_overdue(content, trimmed, base, status, day):
            if alert.id not in symptoms:
                note(alert.id, alert.level, alert.message, None, day)
        day += timedelta(days=1)


def _trimmed(content: Content, diary: Diary, lo: date, hi: date) -> Diary:
    """The diary with only the entries a rule evaluated on [lo, hi] can look at: those of
    the look-back before `lo` up to `hi`, and the first days after the start and after
    each phase start (the no-improvement and phase-overdue rules compare with them). The
    same rule results, a fraction of the work."""
    back = _lookback(content)
    start = parse_date(diary["profile"]["start_date"])
    early_hi = (start + timedelta(days=back)).isoformat()
    early_lo = start.isoformat()
    recent_lo, recent_hi = (lo - timedelta(days=back)).isoformat(), hi.isoformat()
    # The first days of each phase too: `phase-overdue` compares with them (SPEC §10).
    spans = [(early_lo, early_hi), (recent_lo, recent_hi)] + [
        (p["start"], (parse_date(p["start"]) + timedelta(days=back)).isoformat())
        for p in diary["phases"]
    ]
    kept = [e for e in diary["entries"] if any(a <= e["date"] <= b for a, b in spans)]
    return {**diary, "entries": kept}


def _lookback(content: Content) -> int:
    """Comfortably more days than any rule or readiness check looks back over."""
    numbers: list[int] = []

    def collect(value: Any) -> None:
        if isinstance(value, dict):
            for item in value.values():
                collect(item)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            numbers.append(int(value))

    collect(content["phases"]["rules"])
    for phase in content["phases"]["phases"]:
        if phase["readiness"] is not None:
            numbers.append(phase["readiness"]["window_days"])
    return 2 * max(numbers, default=30) + 2
