"""The therapist's programme (SPEC §12) without the CLI: the file's checks, field by field,
a corpus of broken and hostile files, the day's routine it gives, and the adherence figures."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from rugcoach.coach import plan as coach
from rugcoach.coach import progression
from rugcoach.coach.prescribed import WEEKDAYS, review_due
from rugcoach.content.validation import ContentError
from rugcoach.i18n import set_language
from rugcoach.programme import file as programme_file
from rugcoach.programme import prescription as programme
from rugcoach.reports import programme as report_programme

from factories import diary, entry, real_content

MONDAY = date(2026, 1, 5)  # a Monday: the programme's first day in these tests

GOOD = """\
format: rugcoach-programme
version: 1
by: "M. de Vries, fysiotherapeut"
from: 2026-01-05
review: 2026-02-02
phase: 2
walk_minutes: 20
progress: false
exercises:
  - id: bird-dog
    dose: {sets: 3, reps: 10, per_side: true}
    days: [mon, wed, fri]
    note: {nl: "Langzaam, bekken blijft recht.", en: "Slowly, keep the pelvis level."}
  - id: pelvic-tilt
    days: [Ma, dinsdag, WO, thursday, vr]
    note: {nl: "Rustig uitademen."}
"""


@pytest.fixture
def lib() -> Any:
    return copy.deepcopy(real_content())


def check(lib: Any, text: str, tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "programme.yaml"
    path.write_text(text, encoding="utf-8")
    return programme_file.check(path, path.read_bytes(), lib)


def problems(lib: Any, text: str, tmp_path: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        check(lib, text, tmp_path)
    return [str(p) for p in caught.value.problems]


# ---------------------------------------------------------------------------- the fields


def test_a_full_programme_is_read_with_english_and_dutch_weekdays(lib: Any, tmp_path: Path) -> None:
    found = check(lib, GOOD, tmp_path)
    assert found["by"] == "M. de Vries, fysiotherapeut"
    assert (found["from"], found["review"]) == ("2026-01-05", "2026-02-02")
    assert (found["phase"], found["walk_minutes"], found["progress"]) == (2, 20, False)
    first, second = found["exercises"]
    assert first["dose"] == {"sets": 3, "reps": 10, "per_side": True}
    assert first["days"] == ["mon", "wed", "fri"]
    assert second["dose"] is None  # the library's own dose is used
    assert second["days"] == ["mon", "tue", "wed", "thu", "fri"]


def test_only_the_required_fields(lib: Any, tmp_path: Path) -> None:
    found = check(
        lib,
        "format: rugcoach-programme\nversion: 1\nfrom: '2026-01-05'\nexercises:\n  - id: plank\n",
        tmp_path,
    )
    assert found["by"] is None and found["review"] is None and found["walk_minutes"] is None
    assert found["exercises"][0]["days"] == list(WEEKDAYS)


def _with(line_from: str, line_to: str) -> str:
    assert line_from in GOOD
    return GOOD.replace(line_from, line_to)


BAD_FIELDS = [
    # (what the file says instead, the line, the field, words of the message)
    (("format: rugcoach-programme", "format: rugcoach-diary"), 1, "format", "rugcoach-programme"),
    (("version: 1", "version: 2"), 2, "version", "1"),
    (('by: "M. de Vries, fysiotherapeut"', "by: 12"), 3, "by", "text"),
    (('by: "M. de Vries, fysiotherapeut"', 'by: "a\\x1b[31mb"'), 3, "by", "control"),
    (("from: 2026-01-05", "from: 5 januari"), 4, "from", "not a date"),
    (("from: 2026-01-05", "from: 2026-01-05 10:00:00"), 4, "from", "not a date"),
    (("from: 2026-01-05", "from: 20260105"), 4, "from", "not a date"),
    (("review: 2026-02-02", "review: 2026-01-05"), 5, "review", "after the first day"),
    (("review: 2026-02-02", "review: 2025-12-01"), 5, "review", "after the first day"),
    (("phase: 2", "phase: 5"), 6, "phase", "less than or equal to 4"),
    (("walk_minutes: 20", "walk_minutes: -5"), 7, "walk_minutes", "greater than or equal"),
    (("walk_minutes: 20", "walk_minutes: '20'"), 7, "walk_minutes", "integer"),
    (("progress: false", "progress: sometimes"), 8, "progress", "boolean"),
    (("progress: false", "progress: false\ncolour: blue"), 9, "colour", "not permitted"),
    (("  - id: bird-dog", "  - id: bird-dgo"), 10, "exercises[0].id", "Did you mean 'bird-dog'"),
    (("  - id: pelvic-tilt", "  - id: bird-dog"), 14, "exercises[1].id", "more than once"),
    (("reps: 10", "seconds: 10"), 11, "exercises[0].dose.seconds", "dosed in reps"),
    (("reps: 10", "reps: 10, seconds: 5"), 11, "exercises[0].dose", "exactly one"),
    (("reps: 10", "reps: 0"), 11, "exercises[0].dose.reps", "greater than or equal to 1"),
    (("reps: 10", "repetitions: 10"), 11, "exercises[0].dose.repetitions", "not permitted"),
    (("{sets: 3,", "{sets: 11,"), 11, "exercises[0].dose.sets", "less than or equal to 10"),
    (("days: [mon, wed, fri]", "days: [mon, wensday]"), 12, "exercises[0].days[1]", "day of"),
    (("days: [mon, wed, fri]", "days: [mon, vrij]"), 12, "exercises[0].days[1]", "vrijdag"),
    (("days: [mon, wed, fri]", "days: []"), 12, "exercises[0].days", "at least 1"),
    (('note: {nl: "Rustig uitademen."}', 'note: {de: "Ruhig"}'), 16, "exercises[1].note", "nl"),
    (('note: {nl: "Rustig uitademen."}', "note: 12"), 16, "exercises[1].note", "text"),
    (
        ('note: {nl: "Rustig uitademen."}', 'note: "\\u202eevil"'),
        16,
        "exercises[1].note",
        "control",
    ),
    (("    days: [mon, wed, fri]", "    times: 3"), 12, "exercises[0].times", "not permitted"),
]


@pytest.mark.parametrize(("change", "line", "field", "words"), BAD_FIELDS)
def test_each_field_is_checked_with_file_line_and_field(
    lib: Any, tmp_path: Path, change: tuple[str, str], line: int, field: str, words: str
) -> None:
    found = problems(lib, _with(*change), tmp_path)
    where = f"{tmp_path / 'programme.yaml'}:{line}: {field}: "
    assert any(p.startswith(where) and words in p for p in found), found


def test_every_problem_is_reported_at_once_in_line_order(lib: Any, tmp_path: Path) -> None:
    text = _with("review: 2026-02-02", "review: 2026-01-01")
    text = text.replace("id: bird-dog", "id: bird-dgo").replace("wed, fri", "wed, fry")
    found = problems(lib, text, tmp_path)
    assert len(found) == 3
    lines = [int(p.split(":")[1]) for p in found]
    assert lines == sorted(lines)


def test_no_exercises_is_a_problem(lib: Any, tmp_path: Path) -> None:
    text = "format: rugcoach-programme\nversion: 1\nfrom: 2026-01-05\nexercises: []\n"
    assert any("exercises" in p for p in problems(lib, text, tmp_path))


def test_the_units_follow_a_custom_library(lib: Any, tmp_path: Path) -> None:
    bird = next(e for e in lib["exercises"]["exercises"] if e["id"] == "bird-dog")
    for dose in bird["dose"]:
        dose.pop("reps")
        dose["seconds"] = 20
    found = problems(lib, GOOD, tmp_path)
    assert any("dosed in seconds, not in reps" in p for p in found)


BROKEN_FILES = [
    b"",
    b"just a sentence",
    b"- a\n- list\n",
    b"format: rugcoach-programme\nversion: 1\nfrom: [\n",
    b"format: !!python/object/apply:os.system ['echo hacked']\n",
    b"format: !custom rugcoach-programme\n",
    b"a: &x [1, 2]\nb: *x\n",
    b"format: rugcoach-programme\nformat: rugcoach-programme\n",
    "format: rugcoach-programme\nby: caf\xe9\n".encode("latin-1"),
    b"\x00\x01\x02\x03",
    b"\xef\xbb\xbf\xff\xfe",
]


@pytest.mark.parametrize("data", BROKEN_FILES)
def test_broken_and_hostile_files_are_refused_with_a_line(
    lib: Any, tmp_path: Path, data: bytes
) -> None:
    path = tmp_path / "programme.yaml"
    path.write_bytes(data)
    with pytest.raises(ContentError) as caught:
        programme_file.check(path, data, lib)
    assert caught.value.problems
    assert all(str(p).startswith(f"{path}:") for p in caught.value.problems)


def test_a_huge_file_is_refused_without_being_read(
    lib: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "programme.yaml"
    path.write_bytes(GOOD.encode() + b"#" * (programme.MAX_BYTES + 1))
    read = []
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self) or b"")
    with pytest.raises(ContentError) as caught:
        programme.load_file(path, lib, use_cache=False)
    assert "too large" in str(caught.value) and not read


def test_billion_laughs_is_refused(lib: Any, tmp_path: Path) -> None:
    lines = ['a0: &a0 ["lol"]'] + [
        f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)
    ]
    data = ("\n".join(lines) + "\n").encode()
    with pytest.raises(ContentError) as caught:
        programme_file.check(tmp_path / "p.yaml", data, lib)
    assert "aliases" in str(caught.value)


# --------------------------------------------------------------------------- the routine


@pytest.fixture
def prescribed(lib: Any, tmp_path: Path) -> dict[str, Any]:
    return check(lib, GOOD, tmp_path)


def _diary(*entries: Any) -> Any:
    start = MONDAY - timedelta(days=14)
    return diary(entries, start=start, phases=[(2, start)])


def ids(plan: coach.Plan) -> list[str]:
    return [i.exercise["id"] for i in plan.routine]


def test_the_programme_gives_its_exercises_on_its_days(lib: Any, prescribed: Any) -> None:
    diary = _diary()
    days = {MONDAY + timedelta(days=n): n for n in range(7)}
    seen = {n: ids(coach.plan(lib, diary, day, prescribed)) for day, n in days.items()}
    assert seen[0] == ["bird-dog", "pelvic-tilt"] or seen[0] == ["pelvic-tilt", "bird-dog"]
    assert seen[1] == ["pelvic-tilt"]  # Tuesday
    assert set(seen[2]) == {"bird-dog", "pelvic-tilt"}
    assert seen[5] == [] and seen[6] == []  # the weekend: walking and mini-routines only
    monday = coach.plan(lib, diary, MONDAY, prescribed)
    assert all(i.source == "programme" for i in monday.routine)
    bird = next(i for i in monday.routine if i.exercise["id"] == "bird-dog")
    assert (bird.dose["sets"], bird.dose["reps"], bird.dose.get("per_side")) == (3, 10, True)
    assert monday.walk_minutes_goal == 20 and monday.programme is prescribed
    saturday = coach.plan(lib, diary, MONDAY + timedelta(days=5), prescribed)
    assert saturday.walk_minutes_goal == 20 and saturday.daily_routines["morning"]


def test_before_its_first_day_the_coach_plans_as_usual(lib: Any, prescribed: Any) -> None:
    diary = _diary()
    day = MONDAY - timedelta(days=1)
    with_it = coach.plan(lib, diary, day, prescribed)
    without = coach.plan(lib, diary, day)
    assert with_it.programme is None and ids(with_it) == ids(without)
    assert all(i.source == "coach" for i in with_it.routine)
    assert with_it.walk_minutes_goal == without.walk_minutes_goal


def test_an_urgent_sign_pauses_the_programme(lib: Any, prescribed: Any) -> None:
    diary = _diary(entry(MONDAY, symptoms=["saddle-numbness"]))
    plan = coach.plan(lib, diary, MONDAY, prescribed)
    assert plan.load == coach.LOAD_PAUSED and plan.routine == ()


def test_an_adjust_warning_makes_the_programme_lighter(lib: Any, prescribed: Any) -> None:
    diary = _diary(entry(MONDAY, exercise_pain=8))
    plan = coach.plan(lib, diary, MONDAY, prescribed)
    normal = coach.plan(lib, _diary(), MONDAY, prescribed)
    assert plan.load == coach.LOAD_REDUCED
    assert all(i.reduced and i.source == "programme" for i in plan.routine)
    assert sum(i.minutes for i in plan.routine) < sum(i.minutes for i in normal.routine)


def test_the_review_date_is_due_from_that_day(prescribed: Any) -> None:
    review = date(2026, 2, 2)
    assert not review_due(prescribed, review - timedelta(days=1))
    assert review_due(prescribed, review)
    assert review_due(prescribed, review + timedelta(days=30))


def test_notes_follow_the_language_and_a_single_language_note_is_shown_as_written() -> None:
    note = {"nl": "Langzaam.", "en": "Slowly."}
    assert programme.note_text(note, "nl") == "Langzaam."
    assert programme.note_text(note, "en") == "Slowly."
    assert programme.note_text({"nl": "Rustig."}, "en") == "Rustig."
    assert programme.note_text("As written", "nl") == "As written"
    assert programme.note_text(None, "en") is None


def test_progress_adds_a_step_each_programme_week(lib: Any, tmp_path: Path) -> None:
    found = check(lib, GOOD.replace("progress: false", "progress: true"), tmp_path)
    diary = _diary()

    def dose(day: date) -> Any:
        plan = coach.plan(lib, diary, day, found)
        return next(i.dose for i in plan.routine if i.exercise["id"] == "bird-dog")

    # The steps and tops of phases.yaml (SPEC §11): +2 reps up to the top, then a set more.
    rule = lib["phases"]["progression"]
    first = dose(MONDAY)
    assert first["reps"] == 10 and dose(MONDAY + timedelta(days=4)) == first
    for week in range(1, 6):
        expected = progression.stepped(first, week, rule)[0]
        assert dose(MONDAY + timedelta(days=7 * week)) == expected, week
    assert dose(MONDAY + timedelta(days=7)) == {**first, "reps": 12}
    top = progression.stepped(first, rule["max_steps"], rule)[0]
    assert dose(MONDAY + timedelta(days=7 * 20)) == top != first


def test_progress_adds_no_step_for_a_week_with_adjust_warnings(lib: Any, tmp_path: Path) -> None:
    """A week with an adjust warning on 2 or more of its days adds no step (SPEC §11)."""
    found = check(lib, GOOD.replace("progress: false", "progress: true"), tmp_path)
    flare = [entry(MONDAY + timedelta(days=n), exercise_pain=8) for n in (1, 2)]
    calm, rough = _diary(), _diary(*flare)

    def reps(d: Any, day: date) -> int:
        plan = coach.plan(lib, d, day, found)
        return next(i.dose["reps"] for i in plan.routine if i.exercise["id"] == "bird-dog")

    next_week = MONDAY + timedelta(days=7)
    assert reps(calm, next_week) == 12
    assert reps(rough, next_week) == 10


# -------------------------------------------------------------------------- adherence


def test_adherence_per_exercise_per_week(lib: Any, prescribed: Any) -> None:
    diary = _diary(
        entry(MONDAY, done=["bird-dog", "pelvic-tilt"]),
        entry(MONDAY + timedelta(days=1), done=["pelvic-tilt"]),
        entry(MONDAY + timedelta(days=2), done=["bird-dog-easy"]),  # unknown id: not counted
        entry(MONDAY + timedelta(days=5), done=["bird-dog"]),  # Saturday: not planned
        entry(MONDAY + timedelta(days=7), done=["bird-dog"]),
    )
    found = report_programme.build(
        prescribed, lib, diary, None, MONDAY + timedelta(days=9), MONDAY + timedelta(days=9)
    )
    assert [(w.number, w.first, w.last) for w in found.weeks] == [
        (1, MONDAY, MONDAY + timedelta(days=6)),
        (2, MONDAY + timedelta(days=7), MONDAY + timedelta(days=9)),
    ]
    week1 = {c.id: (c.planned_days, c.done_days) for c in found.weeks[0].counts}
    assert week1 == {"bird-dog": (3, 1), "pelvic-tilt": (5, 2)}
    week2 = {c.id: (c.planned_days, c.done_days) for c in found.weeks[1].counts}
    assert week2 == {"bird-dog": (2, 1), "pelvic-tilt": (3, 0)}
    data = report_programme.to_json(found)
    assert data is not None
    assert data["adherence"] == [
        {"id": "bird-dog", "planned_days": 5, "done_days": 2},
        {"id": "pelvic-tilt", "planned_days": 8, "done_days": 2},
    ]
    assert data["by"] == "M. de Vries, fysiotherapeut" and data["from"] == "2026-01-05"


def test_an_easier_variant_done_on_a_lighter_day_counts(lib: Any, prescribed: Any) -> None:
    bird = next(e for e in lib["exercises"]["exercises"] if e["id"] == "bird-dog")
    easier = bird.get("easier")
    assert easier
    diary = _diary(entry(MONDAY, done=[easier]))
    found = report_programme.build(prescribed, lib, diary, None, MONDAY, MONDAY)
    assert {c.id: c.done_days for c in found.totals}["bird-dog"] == 1


def test_planned_days_start_at_the_later_of_from_and_the_period(lib: Any, prescribed: Any) -> None:
    wednesday = MONDAY + timedelta(days=2)
    found = report_programme.build(
        prescribed, lib, _diary(), wednesday, wednesday + timedelta(days=2), date(2026, 6, 1)
    )
    assert found.first == wednesday
    assert {c.id: c.planned_days for c in found.totals} == {"bird-dog": 2, "pelvic-tilt": 3}
    before = report_programme.build(
        prescribed, lib, _diary(), MONDAY - timedelta(days=30), MONDAY - timedelta(days=1), MONDAY
    )
    assert before.weeks == () and all(c.planned_days == 0 for c in before.totals)


def test_the_spreadsheet_rows_hold_numbers_and_dates(lib: Any, prescribed: Any) -> None:
    from rugcoach.reports.report import build_report

    diary = _diary(entry(MONDAY, done=["bird-dog"]))
    report = build_report(lib, diary, MONDAY, MONDAY, MONDAY, prescribed)
    header, *rows = report_programme.programme_adherence_rows(report)
    assert len(header) == 7
    assert rows[0][:4] == [1, MONDAY, MONDAY, "bird-dog"] and rows[0][5:] == [1, 1]
    assert (
        report_programme.programme_adherence_rows(build_report(lib, diary, None, None, MONDAY))
        == []
    )


def test_dutch_table_headers(lib: Any, prescribed: Any) -> None:
    set_language("nl")
    found = report_programme.build(prescribed, lib, _diary(), None, MONDAY, MONDAY)
    assert report_programme.rows(found)[-1][0] == "Totaal"


def test_values_echoed_in_messages_have_control_characters_escaped(
    lib: Any, tmp_path: Path
) -> None:
    text = GOOD.replace("id: bird-dog", 'id: "bird\\x1b[2Jdog"').replace(
        "[mon, wed, fri]", '[mon, "fr\\u202eday"]'
    )
    found = problems(lib, text, tmp_path)
    joined = "\n".join(found)
    assert "\x1b" not in joined and "\u202e" not in joined
    assert "bird\\x1b[2Jdog" in joined and "fr\\u202eday" in joined


# ------------------------------------------------------------------ template round trip

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    day=st.dates(date(2025, 1, 1), date(2028, 12, 31)),
    phase=st.integers(1, 4),
    profile=st.sampled_from(["general", "acute", "nerve", "degenerative", "chronic", "recurrent"]),
    lang=st.sampled_from(["en", "nl"]),
)
def test_a_template_passes_the_checks_unchanged_and_plans_the_same_day(
    tmp_path: Path, day: date, phase: int, profile: str, lang: str
) -> None:
    lib = real_content()
    set_language(lang)  # type: ignore[arg-type]
    start = day - timedelta(days=10)
    person = diary((), start=start, profile=profile, phases=[(phase, start)])
    text = programme_file.template(lib, person, day)
    found = check(lib, text, tmp_path)
    assert found["from"] == day.isoformat() and found["phase"] == phase
    automatic = coach.plan(lib, person, day)
    prescribed = coach.plan(lib, person, day, found)
    assert ids(prescribed) == ids(automatic)
    assert [i.dose for i in prescribed.routine] == [
        {**i.dose, "phase": phase} for i in automatic.routine
    ]
    assert prescribed.walk_minutes_goal == automatic.walk_minutes_goal
    set_language("en")
