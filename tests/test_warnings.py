"""The warnings of SPEC §4, rule by rule, at the edges of every threshold.

Synthetic content with the SPEC defaults (tests/factories.py): symptom window 7 days,
exercise pain above 5 in 2 days, flare 2 above the mean of >= 3 of the 7 days before,
stiffness over 30 minutes on 3 of 7 days, no improvement after 21 days.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date, timedelta

import pytest

from rugcoach.coach import alerts as warnings
from rugcoach.coach import phase as coach_phase
from rugcoach.coach.alerts import Alert, sort_alerts
from rugcoach.coach.plan import evaluate
from rugcoach.schema import Entry

from factories import D0, content, day, diary, entry, series

C = content()
D = date(2026, 4, 20)  # the day asked, well after the diary start D0


def ids(alerts: Sequence[Alert]) -> list[str]:
    return [a.id for a in alerts]


def levels(alerts: Sequence[Alert]) -> dict[str, str]:
    return {a.id: a.level for a in alerts}


def run(entries: Sequence[Entry], when: date = D, **kwargs: object) -> list[Alert]:
    """The warnings on `when` for a diary started a few days before D (so that neither
    phase-overdue nor no-improvement can interfere, unless a test asks for it)."""
    kwargs.setdefault("start", D - timedelta(days=3))
    return evaluate(C, diary(entries, **kwargs), when)  # type: ignore[arg-type]


def ago(n: int) -> date:
    return D - timedelta(days=n)


# ------------------------------------------------------------------------------ symptoms


def test_no_diary_no_warnings() -> None:
    assert evaluate(C, None, D) == []


def test_an_empty_diary_has_no_warnings_early_on() -> None:
    assert run([], when=day(3)) == []


@pytest.mark.parametrize(("days_ago", "active"), [(0, True), (1, True), (6, True), (7, False)])
def test_a_consult_symptom_counts_for_the_seven_days_ending_on_d(
    days_ago: int, active: bool
) -> None:
    alerts = run([entry(ago(days_ago), symptoms=["fever"])])
    assert ("fever" in ids(alerts)) is active


@pytest.mark.parametrize("days_ago", [0, 6, 7, 30, 400])
def test_an_urgent_symptom_stays_until_cleared(days_ago: int) -> None:
    alerts = run([entry(ago(days_ago), symptoms=["saddle-numbness"])])
    assert ids(alerts) == ["saddle-numbness"]
    assert alerts[0].since == ago(days_ago)
    assert alerts[0].follow_up_days == (days_ago if days_ago >= 7 else None)


@pytest.mark.parametrize("days_after", [1, 2, 30])
def test_a_symptom_after_d_never_counts(days_after: int) -> None:
    assert run([entry(D + timedelta(days=days_after), symptoms=["both-legs"])]) == []


@pytest.mark.parametrize(
    ("symptom", "profile", "level"),
    [
        ("saddle-numbness", "general", "urgent"),
        ("bladder-bowel", "general", "urgent"),
        ("both-legs", "nerve", "urgent"),
        ("progressive-weakness", "general", "urgent"),
        ("trauma", "general", "urgent"),
        ("radiating-leg-pain", "general", "consult"),
        ("radiating-leg-pain", "chronic", "consult"),
        ("radiating-leg-pain", "nerve", "adjust"),  # the known complaint for this profile
        ("leg-weakness", "nerve", "consult"),  # ... but weakness stays a consult
        ("numbness", "nerve", "consult"),
        ("fever", "general", "consult"),
        ("weight-loss", "general", "consult"),
        ("night-pain", "acute", "consult"),
    ],
)
def test_symptom_level_and_profile_override(symptom: str, profile: str, level: str) -> None:
    alerts = run([entry(ago(2), symptoms=[symptom])], profile=profile)
    assert levels(alerts) == {symptom: level}
    assert alerts[0].message == next(
        s["message"] for s in C["coaching"]["symptoms"] if s["id"] == symptom
    )


def test_one_alert_per_symptom_however_often_noted() -> None:
    entries = [entry(ago(i), symptoms=["fever"]) for i in range(5)]
    entries.append(entry(ago(1), symptoms=["fever", "fever"]))
    assert ids(run(entries)) == ["fever"]


def test_a_symptom_alias_counts_as_the_symptom() -> None:
    assert ids(run([entry(ago(1), symptoms=["fever-nl"])])) == ["fever"]


def test_unknown_symptom_ids_are_ignored() -> None:
    assert run([entry(ago(1), symptoms=["hiccups"])]) == []


def test_most_serious_first_and_stable() -> None:
    entries = [
        entry(ago(1), symptoms=["fever", "both-legs"], exercise_pain=8),
        entry(ago(0), symptoms=["night-pain", "trauma"]),
    ]
    alerts = run(entries)
    assert [a.level for a in alerts] == ["urgent", "urgent", "consult", "consult", "adjust"]
    # Within a level, the order of coaching.yaml (not of the diary).
    assert ids(alerts) == ["both-legs", "trauma", "fever", "night-pain", "exercise-pain-high"]


def test_sort_alerts_is_stable() -> None:
    text = {"nl": "x", "en": "x"}
    alerts = [Alert("a", "adjust", text), Alert("b", "urgent", text), Alert("c", "adjust", text)]
    assert ids(sort_alerts(alerts)) == ["b", "a", "c"]


def test_the_symptom_window_comes_from_content() -> None:
    narrow = content(symptom_window_days=3)
    start = D - timedelta(days=3)
    assert evaluate(narrow, diary([entry(ago(2), symptoms=["fever"])], start=start), D)
    assert not evaluate(narrow, diary([entry(ago(3), symptoms=["fever"])], start=start), D)


# ----------------------------------------------------------------------------- screening


@pytest.mark.parametrize(
    ("flags", "cleared", "expected"),
    [
        (["cancer"], False, ["screening"]),
        (["cancer", "steroids"], False, ["screening"]),
        (["cancer"], True, []),
        ([], False, []),
    ],
)
def test_screening_is_a_standing_consult(
    flags: list[str], cleared: bool, expected: list[str]
) -> None:
    alerts = run([], screening_flags=flags, screening_cleared=cleared)
    assert ids(alerts) == expected
    rule = next(r for r in C["coaching"]["rule_warnings"] if r["id"] == "screening")
    for alert in alerts:
        assert alert.level == "consult"
        assert alert.message == rule["message"]


def test_screening_falls_back_to_screening_warning() -> None:
    custom = content()
    custom["coaching"]["rule_warnings"] = [
        r for r in custom["coaching"]["rule_warnings"] if r["id"] != "screening"
    ]
    alerts = evaluate(custom, diary([], start=D, screening_flags=["cancer"]), D)
    assert alerts == [
        Alert(
            "screening",
            "consult",
            custom["coaching"]["screening_warning"],
            "weeks",
            since=D,
            clearable=True,
        )
    ]


def test_screening_stands_however_long_ago_the_start() -> None:
    d = diary([], phases=[(1, D0), (4, D0 + timedelta(days=30))], screening_flags=["cancer"])
    assert ids(evaluate(C, d, D + timedelta(days=900))) == ["screening"]


# ------------------------------------------------------------------- exercise-pain-high


@pytest.mark.parametrize(
    ("days_ago", "value", "active"),
    [
        (0, 5, False),
        (0, 6, True),
        (1, 5, False),
        (1, 6, True),
        (1, 10, True),
        (2, 10, False),  # the last 2 days are D-1 and D
        (-1, 10, False),  # tomorrow's entry does not count today
    ],
)
def test_exercise_pain_high(days_ago: int, value: int, active: bool) -> None:
    alerts = run([entry(ago(days_ago), exercise_pain=value)])
    assert ("exercise-pain-high" in ids(alerts)) is active
    if active:
        assert levels(alerts)["exercise-pain-high"] == "adjust"


def test_exercise_pain_threshold_comes_from_content() -> None:
    strict = content(exercise_pain_high={"above": 3})
    d = diary([entry(D, exercise_pain=4)], start=D)
    assert ids(evaluate(strict, d, D)) == ["exercise-pain-high"]


# ----------------------------------------------------------------------------- pain-flare


def flare_case(
    baseline: Sequence[int | None], today: int | None, yesterday: int | None
) -> list[str]:
    """`baseline`: the scores of D-8 … D-2 (7 days, oldest first), then D-1 and D."""
    entries = series(ago(8), [*baseline, yesterday, today])
    return ids(run(entries))


@pytest.mark.parametrize(
    ("baseline", "yesterday", "today", "active"),
    [
        # judged on D: baseline is D-7 … D-1, i.e. the last 6 of `baseline` plus yesterday
        ([None] * 4 + [3, 3, 3], 3, 5, True),  # 5 - 3 = 2: "2 or more above"
        ([None] * 4 + [3, 3, 3], 3, 4, False),
        ([None] * 5 + [3, 3], None, 5, False),  # only 2 baseline scores
        ([None] * 4 + [3, 3, None], 3, 5, True),  # 3 baseline scores (one is yesterday)
        ([3, None, None, None, None, None, 3], None, 6, False),  # D-8 is outside D's baseline
        # judged on D-1 when D has no score: baseline D-8 … D-2
        ([3, None, None, None, None, 3, 3], 5, None, True),
        ([3, None, None, None, None, None, 3], 5, None, False),  # 2 baseline scores
        ([2, 2, 2, 2, 2, 2, 2], None, None, False),  # nothing on D or D-1
        ([2, 2, 2, 2, 2, 2, 2], 9, 2, False),  # D has a score: D-1's 9 is not judged
    ],
)
def test_pain_flare(
    baseline: list[int | None], yesterday: int | None, today: int | None, active: bool
) -> None:
    got = flare_case(baseline, today, yesterday)
    assert ("pain-flare" in got) is active


def test_pain_flare_uses_day_means() -> None:
    # D: pains 6 and 4 -> score 5; baseline 3, 3, 3 -> a rise of exactly 2.
    entries = [*series(ago(3), [3, 3, 3]), entry(D, pain=6), entry(D, pain=4)]
    assert "pain-flare" in ids(run(entries))
    # D: pains 5 and 4 -> 4.5; a rise of 1.5.
    entries = [*series(ago(3), [3, 3, 3]), entry(D, pain=5), entry(D, pain=4)]
    assert "pain-flare" not in ids(run(entries))


def test_pain_flare_thresholds_come_from_content() -> None:
    loose = content(pain_flare={"rise": 3.0, "min_baseline_scores": 2})
    entries = series(ago(2), [3, 3, 5])
    assert "pain-flare" not in ids(evaluate(loose, diary(entries), D))
    entries = series(ago(2), [3, 3, 6])
    assert "pain-flare" in ids(evaluate(loose, diary(entries), D))


# ---------------------------------------------------------------------- morning-stiffness


@pytest.mark.parametrize(
    ("minutes", "days_ago", "active"),
    [
        ([31, 31, 31], [0, 3, 6], True),
        ([30, 31, 31], [0, 3, 6], False),  # "over 30": 30 is not over
        ([45, 45], [0, 1], False),  # 2 days
        ([45, 45, 45], [0, 1, 7], False),  # D-7 is outside the last 7 days
        ([45, 45, 45, 10], [0, 1, 2, 3], True),
    ],
)
def test_morning_stiffness(minutes: list[int], days_ago: list[int], active: bool) -> None:
    entries = [entry(ago(n), stiffness=m) for m, n in zip(minutes, days_ago, strict=True)]
    alerts = run(entries)
    assert ("morning-stiffness" in ids(alerts)) is active
    if active:
        assert levels(alerts)["morning-stiffness"] == "adjust"


def test_morning_stiffness_counts_days_not_entries() -> None:
    entries = [entry(D, stiffness=45) for _ in range(3)]
    assert "morning-stiffness" not in ids(run(entries))


# ------------------------------------------------------------------------ no-improvement


def no_improvement_case(
    since: int, first: Sequence[int | None], last: Sequence[int | None]
) -> bool:
    """A diary started `since` days before the day asked, with these scores in its first
    7 days and its last 7 days."""
    start = D - timedelta(days=since)
    entries = series(start, list(first)) + series(D - timedelta(days=6), list(last))
    return "no-improvement" in ids(evaluate(C, diary(entries, start=start), D))


@pytest.mark.parametrize(
    ("since", "first", "last", "active"),
    [
        (21, [6, 6, 7, 6], [6, 6, 7, 6], True),  # "21 or more days since the start"
        (20, [6, 6, 7, 6], [6, 6, 7, 6], False),
        (60, [6, 6, 7, 6], [6, 6, 7, 6], True),
        (21, [6, 6, 7, 6], [5, 5, 5, 5], False),  # lower than at the start: improving
        (21, [5, 5, 5, 5], [5, 5, 5, 6], True),  # "not lower" includes higher
        (21, [2, 2, 2, 2], [2, 2, 2, 2], False),  # mean 2 is not above 2
        (21, [2, 2, 2, 2], [2, 2, 2, 3], True),  # 2.25
        (21, [6, 6, 6], [6, 6, 7, 6], False),  # 3 scores in the first week
        (21, [6, 6, 7, 6], [None, 6, None, 6, None, 7, None], False),  # 3 in the last week
        (21, [None, None, None, 6, 6, 6, 6], [None, None, None, 6, 6, 6, 6], True),
    ],
)
def test_no_improvement(
    since: int, first: list[int | None], last: list[int | None], active: bool
) -> None:
    assert no_improvement_case(since, first, last) is active


def test_no_improvement_level_and_first_week_ends_on_day_seven() -> None:
    start = D - timedelta(days=30)
    # Day 8 of the diary is outside its first 7 days: only 3 scores there.
    entries = series(start, [6, 6, 6, None, None, None, None, 6])
    entries += series(D - timedelta(days=6), [6, 6, 6, 6])
    alerts = evaluate(C, diary(entries, start=start), D)
    assert "no-improvement" not in ids(alerts)
    entries += series(start + timedelta(days=6), [6])
    alerts = evaluate(C, diary(entries, start=start), D)
    assert levels(alerts)["no-improvement"] == "consult"


# ------------------------------------------------------------------------- phase-overdue


@pytest.mark.parametrize(("phase_day", "overdue"), [(14, False), (15, True), (40, True)])
def test_phase_overdue_after_the_typical_maximum(phase_day: int, overdue: bool) -> None:
    # Pain at 5 in the phase's first week and in the last one: no clear improvement.
    last = day(phase_day) - timedelta(days=6)
    entries = series(day(1), [5, 5, 5, 5]) + series(last, [5, 5, 5, 5])
    alerts = evaluate(C, diary(entries), day(phase_day))
    assert ("phase-overdue" in ids(alerts)) is overdue
    if overdue:
        assert levels(alerts)["phase-overdue"] == "consult"


def test_a_ready_phase_is_never_overdue() -> None:
    when = day(20)
    good = [entry(when - timedelta(days=i), pain=3, done=["tilt"]) for i in range(7)]
    d = diary(good)
    assert coach_phase.phase_status(C, d, when).ready
    assert "phase-overdue" not in ids(evaluate(C, d, when))


def test_the_final_phase_is_never_overdue() -> None:
    d = diary([], phases=[(1, D0), (4, D0 + timedelta(days=1))])
    assert evaluate(C, d, D0 + timedelta(days=400)) == []


def test_the_phase_status_decides_phase_overdue() -> None:
    d = diary([])
    status = coach_phase.phase_status(C, d, day(3))
    base = warnings.base_alerts(C, d, day(3))
    assert ids(warnings.with_phase_overdue(C, d, base, status, day(3))) == []
    forced = dataclasses.replace(status, overdue=True)
    assert ids(warnings.with_phase_overdue(C, d, base, forced, day(3))) == ["phase-overdue"]


# ------------------------------------------------------------------------------ general


def test_entries_after_d_change_nothing() -> None:
    past = series(D - timedelta(days=10), [4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4])
    future = [
        entry(D + timedelta(days=1), pain=10, exercise_pain=10, stiffness=90, symptoms=["trauma"]),
        entry(D + timedelta(days=2), stiffness=90),
        entry(D + timedelta(days=3), stiffness=90),
    ]
    assert run(past) == run(past + future)


def test_a_missing_rule_warning_is_an_error_not_a_silent_gap() -> None:
    broken = content()
    broken["coaching"]["rule_warnings"] = [
        r for r in broken["coaching"]["rule_warnings"] if r["id"] != "pain-flare"
    ]
    with pytest.raises(LookupError, match="pain-flare"):
        evaluate(broken, diary(series(ago(3), [2, 2, 2, 8])), D)
