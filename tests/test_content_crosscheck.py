"""Each cross-check, one problem at a time: the shipped content with exactly one thing
broken reports exactly that problem, at its place, in words that say what is wrong."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from rugcoach import paths
from rugcoach.content import crosscheck
from rugcoach.content import load as content
from rugcoach.content.crosscheck import CrossProblem, cross_check
from rugcoach.schema import Content


@pytest.fixture(scope="module")
def shipped() -> Content:
    # The packaged files by path and without the cache: a module-scoped fixture runs
    # before the per-test RUGCOACH_HOME is set, so it must not look in the user's folders.
    files = [content.Source(k, paths.packaged_data() / f"{k}.yaml", False) for k in content.KINDS]
    return content.load(files, use_cache=False)


@pytest.fixture
def c(shipped: Content) -> Any:
    """A copy of the shipped content to break (Any: the tests write what the schema
    would refuse, such as a phase 5)."""
    return copy.deepcopy(shipped)


def only(found: list[CrossProblem], kind: str, loc: tuple[str | int, ...], field: str) -> str:
    """The message of the one problem found, after checking where it is."""
    assert len(found) == 1, found
    assert found[0][:3] == (kind, loc, field)
    return found[0][3]


def index_of(items: list[Any], item_id: str) -> int:
    return next(i for i, item in enumerate(items) if item["id"] == item_id)


# ------------------------------------------------------------------------ shipped content


def test_the_shipped_content_has_no_problems(shipped: Content) -> None:
    assert cross_check(shipped) == []
    assert content.cross_check(shipped) == []


@pytest.mark.parametrize("check", crosscheck.CHECKS, ids=lambda f: f.__name__)
def test_no_check_finds_a_problem_in_the_shipped_content(
    shipped: Content, check: Callable[[Content], list[CrossProblem]]
) -> None:
    assert check(shipped) == []


def test_checking_does_not_change_the_content(shipped: Content) -> None:
    before = copy.deepcopy(shipped)
    cross_check(shipped)
    assert shipped == before


# ------------------------------------------------------------------------------ phases


def test_phases_out_of_order(c: Any) -> None:
    phases = c["phases"]["phases"]
    phases[2], phases[3] = phases[3], phases[2]
    # The readiness rules stay in place, so that only the order is wrong.
    phases[2]["readiness"], phases[3]["readiness"] = phases[3]["readiness"], None
    message = only(cross_check(c), "phases", ("phases",), "phases")
    assert "numbered 1, 2, 3" in message


def test_readiness_rules_on_the_final_phase(c: Any) -> None:
    phases = c["phases"]["phases"]
    phases[3]["readiness"] = copy.deepcopy(phases[2]["readiness"])
    message = only(cross_check(c), "phases", ("phases", 3, "readiness"), "phases[3].readiness")
    assert "final phase" in message


def test_a_phase_without_readiness_rules(c: Any) -> None:
    c["phases"]["phases"][0]["readiness"] = None
    message = only(cross_check(c), "phases", ("phases", 0, "readiness"), "phases[0].readiness")
    assert "every phase but the last needs readiness" in message


def test_min_days_over_max_days(c: Any) -> None:
    ready = c["phases"]["phases"][1]["readiness"]
    ready["min_days"] = ready["max_days"] + 1
    message = only(cross_check(c), "phases", ("phases", 1, "readiness"), "phases[1].readiness")
    assert "min_days is larger than max_days" in message


def test_a_profile_waiting_past_max_days(c: Any) -> None:
    ready = c["phases"]["phases"][0]["readiness"]
    ready["profiles"]["chronic"]["min_days"] = ready["max_days"] + 1
    loc = ("phases", 0, "readiness", "profiles", "chronic")
    message = only(cross_check(c), "phases", loc, "phases[0].readiness.profiles.chronic")
    assert "'chronic'" in message
    assert "larger than max_days" in message


def test_a_profile_waiting_exactly_max_days_is_fine(c: Any) -> None:
    ready = c["phases"]["phases"][0]["readiness"]
    ready["profiles"]["chronic"]["min_days"] = ready["max_days"]
    assert cross_check(c) == []


def test_readiness_rules_without_profiles_are_fine(c: Any) -> None:
    del c["phases"]["phases"][0]["readiness"]["profiles"]
    assert cross_check(c) == []


def test_session_min_minutes_over_max_minutes(c: Any) -> None:
    session = c["phases"]["session"]
    session["min_minutes"] = session["max_minutes"] + 1
    message = only(cross_check(c), "phases", ("session",), "session")
    assert "min_minutes is larger than max_minutes" in message


def test_a_progression_step_over_its_top(c: Any) -> None:
    steps = c["phases"]["progression"]["steps"]
    steps["seconds"]["step"] = steps["seconds"]["top"] + 1
    loc = ("progression", "steps", "seconds", "step")
    message = only(cross_check(c), "phases", loc, "progression.steps.seconds.step")
    assert "step is larger than top" in message


def test_a_nerve_glide_symptom_that_is_no_symptom(c: Any) -> None:
    c["phases"]["fitting"]["nerve_glide_symptoms"][1] = "numbnes"
    loc = ("fitting", "nerve_glide_symptoms", 1)
    message = only(cross_check(c), "phases", loc, "fitting.nerve_glide_symptoms[1]")
    assert "no symptom with the id 'numbnes'" in message


@pytest.mark.parametrize("optional", ["progression", "fitting"])
def test_the_optional_phase_sections_may_be_left_out(c: Any, optional: str) -> None:
    del c["phases"][optional]
    assert cross_check(c) == []


# ---------------------------------------------------------------------------- exercises


def test_two_exercises_with_one_id(c: Any) -> None:
    exercises = c["exercises"]["exercises"]
    exercises.append(copy.deepcopy(exercises[index_of(exercises, "band-row")]))
    last = len(exercises) - 1
    message = only(cross_check(c), "exercises", ("exercises", last, "id"), f"exercises[{last}].id")
    assert "'band-row' is used more than once" in message


def test_two_doses_for_one_phase(c: Any) -> None:
    exercises = c["exercises"]["exercises"]
    i = index_of(exercises, "childs-pose")
    exercises[i]["dose"][1]["phase"] = exercises[i]["dose"][0]["phase"]
    loc = ("exercises", i, "dose", 1, "phase")
    message = only(cross_check(c), "exercises", loc, f"exercises[{i}].dose[1].phase")
    assert "two doses" in message


def test_a_dose_for_a_phase_that_does_not_exist(c: Any) -> None:
    exercises = c["exercises"]["exercises"]
    i = index_of(exercises, "childs-pose")
    exercises[i]["dose"][1]["phase"] = 5
    loc = ("exercises", i, "dose", 1, "phase")
    message = only(cross_check(c), "exercises", loc, f"exercises[{i}].dose[1].phase")
    assert "no such phase" in message


@pytest.mark.parametrize("amounts", [{}, {"seconds": 30, "reps": 5}])
def test_a_dose_needs_exactly_one_amount(c: Any, amounts: dict[str, int]) -> None:
    exercises = c["exercises"]["exercises"]
    i = index_of(exercises, "childs-pose")
    dose = exercises[i]["dose"][0]
    for unit in crosscheck.AMOUNTS:
        dose.pop(unit, None)
    dose.update(amounts)
    loc = ("exercises", i, "dose", 0)
    message = only(cross_check(c), "exercises", loc, f"exercises[{i}].dose[0]")
    assert "exactly one of reps, seconds or minutes" in message


def test_a_pace_for_reps_that_no_dose_counts(c: Any) -> None:
    exercises = c["exercises"]["exercises"]
    i = index_of(exercises, "childs-pose")
    exercises[i]["rep_seconds"] = 5
    loc = ("exercises", i, "rep_seconds")
    message = only(cross_check(c), "exercises", loc, f"exercises[{i}].rep_seconds")
    assert "rep_seconds is given" in message


@pytest.mark.parametrize(
    ("exercise", "link", "target"),
    [
        ("pelvic-tilt", "harder", "cat-camle"),
        ("cat-camel", "easier", "pelvic-tlt"),
        ("knee-rocking", "easier", "knee-rocking"),  # itself: no step at all
    ],
)
def test_an_easier_or_harder_exercise_that_does_not_exist(
    c: Any, exercise: str, link: str, target: str
) -> None:
    exercises = c["exercises"]["exercises"]
    i = index_of(exercises, exercise)
    exercises[i][link] = target
    message = only(cross_check(c), "exercises", ("exercises", i, link), f"exercises[{i}].{link}")
    assert f"no exercise with the id '{target}'" in message


def test_the_problems_of_one_exercise_come_together(c: Any) -> None:
    """Doses, pace and links exercise by exercise, as a file is read, not check by check."""
    exercises = c["exercises"]["exercises"]
    first, second = index_of(exercises, "pelvic-tilt"), index_of(exercises, "childs-pose")
    exercises[first]["harder"] = "nowhere"
    exercises[second]["dose"][1]["phase"] = 5
    exercises[second]["rep_seconds"] = 5
    assert [p[2] for p in cross_check(c)] == [
        f"exercises[{first}].harder",
        f"exercises[{second}].dose[1].phase",
        f"exercises[{second}].rep_seconds",
    ]


# ------------------------------------------------------------------ phases and exercises


def test_a_focus_no_exercise_covers(c: Any) -> None:
    c["phases"]["phases"][3]["focus"].append("breathing")
    message = only(cross_check(c), "phases", ("phases", 3, "focus"), "phases[3].focus")
    assert "category 'breathing' has a dose for phase 4" in message


# ----------------------------------------------------------------------------- coaching


def test_a_routine_exercise_that_does_not_exist(c: Any) -> None:
    routine = c["coaching"]["daily_routines"]["evening"]["exercises"]
    routine.append("nap")
    j = len(routine) - 1
    loc = ("daily_routines", "evening", "exercises", j)
    message = only(cross_check(c), "coaching", loc, f"daily_routines.evening.exercises[{j}]")
    assert "no exercise with the id 'nap'" in message


def test_too_few_words_for_a_sign(c: Any) -> None:
    # Two spellings of one word count once, as matching folds them together.
    c["coaching"]["symptoms"][0]["aliases"]["en"] = ["numb saddle", "Numb-Saddle"]
    loc = ("symptoms", 0, "aliases", "en")
    message = only(cross_check(c), "coaching", loc, "symptoms[0].aliases.en")
    assert "has 1 words" in message
    assert "level urgent needs at least 6" in message


def test_a_word_that_names_two_signs(c: Any) -> None:
    symptoms = c["coaching"]["symptoms"]
    first, later = index_of(symptoms, "saddle-numbness"), index_of(symptoms, "numbness")
    word = symptoms[first]["aliases"]["en"][0]
    symptoms[later]["aliases"]["nl"].append(word.upper())  # folded, still the same word
    loc = ("symptoms", later, "aliases")
    message = only(cross_check(c), "coaching", loc, f"symptoms[{later}].aliases")
    assert "also names 'saddle-numbness'" in message


def test_an_escalation_to_a_screening_question_that_does_not_exist(c: Any) -> None:
    symptoms = c["coaching"]["symptoms"]
    i = index_of(symptoms, "fever")
    symptoms[i]["escalations"][0]["risk"] = "cancre"
    loc = ("symptoms", i, "escalations", 0, "risk")
    message = only(cross_check(c), "coaching", loc, f"symptoms[{i}].escalations[0].risk")
    assert "'cancre' is not a screening question" in message


@pytest.mark.parametrize(
    ("listed", "item_id"), [("symptoms", "fever"), ("rule_warnings", "screening")]
)
def test_an_id_rugcoach_needs_is_missing(c: Any, listed: str, item_id: str) -> None:
    items = c["coaching"][listed]
    del items[index_of(items, item_id)]
    message = only(cross_check(c), "coaching", (listed,), listed)
    assert f"'{item_id}' is missing" in message


def test_two_tips_with_one_id(c: Any) -> None:
    tips = c["coaching"]["tips"]
    tips[5]["id"] = tips[2]["id"]
    message = only(cross_check(c), "coaching", ("tips", 5, "id"), "tips[5].id")
    assert f"the id '{tips[2]['id']}' is used more than once" in message


# ---------------------------------------------------------------------------- every file


@pytest.mark.parametrize(
    ("kind", "loc", "field"),
    [
        ("phases", ("phases", 0, "name", "en"), "phases[0].name.en"),
        ("exercises", ("exercises", 0, "summary", "nl"), "exercises[0].summary.nl"),
        ("coaching", ("tips", 0, "text", "en"), "tips[0].text.en"),
    ],
)
def test_a_text_that_is_only_white_space(
    c: Any, kind: str, loc: tuple[str | int, ...], field: str
) -> None:
    node = c[kind]
    for part in loc[:-1]:
        node = node[part]
    node[loc[-1]] = " \t "
    message = only(cross_check(c), kind, loc, field)
    assert "this text is empty" in message


def test_problems_come_in_the_order_of_the_checks(c: Any) -> None:
    """Phases before exercises before coaching before texts, whatever the files' order."""
    c["coaching"]["tips"][0]["text"]["en"] = " "
    c["coaching"]["tips"][5]["id"] = c["coaching"]["tips"][2]["id"]
    c["exercises"]["exercises"][0]["dose"][0]["phase"] = 5
    c["phases"]["session"]["min_minutes"] = 99
    found = cross_check(c)
    assert [p[2] for p in found] == [
        "session",
        "exercises[0].dose[0].phase",
        "tips[5].id",
        "tips[0].text.en",
    ]
    assert found == [p for check in crosscheck.CHECKS for p in check(c)]
