"""timeline.days: one Day per date, as SPEC §4 defines a day's pain score."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from rugcoach.coach.timeline import Day, days, pain_scores, parse_date, window

from factories import D0, entry


def test_a_day_aggregates_all_its_entries() -> None:
    entries = [
        entry(D0, pain=3, exercise_pain=2, stiffness=20, walk=10, done=["tilt"]),
        entry(D0, pain=6, exercise_pain=5, stiffness=10, walk=15, done=["tilt", "breath"]),
        entry(D0, walk=None, symptoms=["fever"]),
        entry(D0, pain=4, symptoms=["fever", "night-pain"]),
    ]
    got = days(entries, D0, D0)
    assert list(got) == [D0]
    d = got[D0]
    assert d.pain == pytest.approx((3 + 6 + 4) / 3)  # mean of the day's --pain values
    assert d.exercise_pain == 5  # the highest
    assert d.stiffness_minutes == 20  # the longest
    assert d.walk_minutes == 25  # the sum
    assert d.exercised
    assert d.done == ("tilt", "breath")
    assert d.symptoms == ("fever", "night-pain")


def test_a_day_without_measures() -> None:
    d = days([entry(D0, symptoms=["fever"])], D0, D0)[D0]
    assert d == Day(D0, None, None, None, 0, False, (), ("fever",))


def test_an_entry_with_an_empty_done_list_is_not_exercise() -> None:
    assert not days([entry(D0, pain=2, done=[])], D0, D0)[D0].exercised


@pytest.mark.parametrize(
    ("offset", "inside"),
    [(-1, False), (0, True), (3, True), (6, True), (7, False), (400, False)],
)
def test_only_dates_in_the_range_count(offset: int, inside: bool) -> None:
    when = D0 + timedelta(days=offset)
    got = days([entry(when, pain=5)], D0, D0 + timedelta(days=6))
    assert (when in got) is inside


def test_days_are_sorted_and_only_those_with_entries() -> None:
    later, earlier = D0 + timedelta(days=3), D0 + timedelta(days=1)
    got = days([entry(later, pain=1), entry(earlier, pain=2)], D0, D0 + timedelta(days=6))
    assert list(got) == [earlier, later]


def test_an_empty_or_reversed_range_gives_nothing() -> None:
    assert days([entry(D0, pain=1)], D0, D0 - timedelta(days=1)) == {}
    assert days([], D0, D0) == {}


def test_the_range_crosses_month_and_year_ends() -> None:
    entries = [entry(date(2025, 12, 31), pain=4), entry(date(2026, 1, 1), pain=6)]
    got = days(entries, date(2025, 12, 30), date(2026, 1, 1))
    assert [d.pain for d in got.values()] == [4, 6]


def test_parse_date_is_cached_and_exact() -> None:
    assert parse_date("2026-02-28") == date(2026, 2, 28)
    assert parse_date("2026-02-28") is parse_date("2026-02-28")
    with pytest.raises(ValueError):
        parse_date("2026-02-30")


def test_window_ends_on_the_day() -> None:
    assert window(D0, 7) == (D0 - timedelta(days=6), D0)
    assert window(D0, 1) == (D0, D0)


def test_pain_scores_in_a_range() -> None:
    entries = [entry(D0 + timedelta(days=i), pain=i) for i in range(5)]
    entries.append(entry(D0 + timedelta(days=2), walk=5))
    got = days(entries, D0, D0 + timedelta(days=4))
    assert pain_scores(got, D0 + timedelta(days=1), D0 + timedelta(days=3)) == [1, 2, 3]
