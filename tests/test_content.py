"""The shipped content: valid, complete in both languages, and true to the seeds and SPEC."""

from __future__ import annotations

from typing import Any

import pytest

from rugcoach.content import load as content
from rugcoach.schema import Content, Dose

# Every exercise the seed articles name, by the id rugcoach gives it.
SEED_EXERCISES = [
    "pelvic-tilt",
    "thoracic-rotation",
    "hip-hinge",
    "side-bend",
    "sciatic-nerve-glide",
    "long-exhale-breathing",
    "walking",
    "plank",
    "dead-bug",
    "bird-dog",
    "glute-bridge",
    "hip-thrust",
    "squat",
    "split-squat",
    "romanian-deadlift",
    "pallof-press",
    "farmer-carry",
    "lunge",
    "hip-90-90",
    "hamstring-mobility",
    "hip-flexor-stretch",
    "cycling",
    "rowing",
    "lifting-technique",
]

SPEC_SYMPTOMS = {
    "saddle-numbness": "urgent",
    "bladder-bowel": "urgent",
    "both-legs": "urgent",
    "progressive-weakness": "urgent",
    "trauma": "urgent",
    "radiating-leg-pain": "consult",
    "leg-weakness": "consult",
    "numbness": "consult",
    "fever": "consult",
    "weight-loss": "consult",
    "night-pain": "consult",
}


@pytest.fixture(scope="module")
def shipped() -> Content:
    return content.load()


def _texts(node: Any) -> list[dict[str, str]]:
    if isinstance(node, dict):
        if set(node) == {"nl", "en"} and all(isinstance(v, str) for v in node.values()):
            return [node]  # a text (a sign's word lists have the same keys: not a text)
        return [t for value in node.values() for t in _texts(value)]
    if isinstance(node, list):
        return [t for value in node for t in _texts(value)]
    return []


def test_the_packaged_files_are_the_ones_in_force() -> None:
    assert all(not source.custom for source in content.sources())
    assert {s.path.name for s in content.sources()} == {
        "phases.yaml",
        "exercises.yaml",
        "coaching.yaml",
    }


def test_four_phases_with_the_spec_names_and_thresholds(shipped: Content) -> None:
    phases = shipped["phases"]["phases"]
    assert [p["number"] for p in phases] == [1, 2, 3, 4]
    assert phases[0]["name"]["nl"] == "Pijnvermindering en bewegingsherstel"
    assert phases[2]["name"]["en"] == "Strength and load capacity"
    limits = [
        (r["min_days"], r["max_days"], r["max_mean_pain"])
        for p in phases[:3]
        if (r := p["readiness"])
    ]
    assert limits == [(7, 14, 5), (14, 28, 4), (28, 56, 3)]
    assert phases[3]["readiness"] is None


def test_at_least_thirty_exercises_covering_every_phase(shipped: Content) -> None:
    exercises = shipped["exercises"]["exercises"]
    assert len(exercises) >= 30
    covered = {n for ex in exercises for n in content.phases_of(ex)}
    assert covered == {1, 2, 3, 4}


@pytest.mark.parametrize("exercise_id", SEED_EXERCISES)
def test_every_exercise_the_seeds_name_is_there(shipped: Content, exercise_id: str) -> None:
    assert exercise_id in {ex["id"] for ex in shipped["exercises"]["exercises"]}


def test_rotation_and_explosive_work_exist_for_the_last_phases(shipped: Content) -> None:
    power = [
        ex
        for ex in shipped["exercises"]["exercises"]
        if ex["category"] == "strength-power" and 4 in content.phases_of(ex)
    ]
    assert len(power) >= 2


def test_each_focus_category_has_a_choice_of_exercises(shipped: Content) -> None:
    for phase in shipped["phases"]["phases"]:
        for category in phase["focus"]:
            fitting = [
                ex["id"]
                for ex in shipped["exercises"]["exercises"]
                if ex["category"] == category and phase["number"] in content.phases_of(ex)
            ]
            assert len(fitting) >= 2, (phase["number"], category, fitting)


def _volume(dose: Dose) -> int:
    amount = dose.get("reps") or dose.get("seconds") or dose.get("minutes") or 0
    return dose["sets"] * amount


def test_doses_never_shrink_from_phase_to_phase(shipped: Content) -> None:
    for ex in shipped["exercises"]["exercises"]:
        doses = sorted(ex["dose"], key=lambda d: d["phase"])
        volumes = [_volume(d) for d in doses]
        assert volumes == sorted(volumes), (ex["id"], volumes)


def test_most_exercises_progress_somewhere(shipped: Content) -> None:
    multi = [ex for ex in shipped["exercises"]["exercises"] if len(ex["dose"]) > 1]
    growing = [ex for ex in multi if len({_volume(d) for d in ex["dose"]}) > 1]
    assert len(growing) >= 0.8 * len(multi)


def test_every_text_is_written_in_both_languages(shipped: Content) -> None:
    texts = _texts(shipped)
    assert len(texts) > 500
    for text in texts:
        assert text["nl"].strip() and text["en"].strip()
    # The two languages are really different texts, not one copied into the other.
    same = [t for t in texts if t["nl"] == t["en"] and len(t["en"]) > 25]
    assert not same


def test_symptoms_are_the_spec_ids_with_their_levels(shipped: Content) -> None:
    symptoms = {s["id"]: s for s in shipped["coaching"]["symptoms"]}
    assert {k: v["level"] for k, v in symptoms.items()} == SPEC_SYMPTOMS
    assert symptoms["radiating-leg-pain"].get("profile_levels") == {"nerve": "adjust"}


@pytest.mark.parametrize("symptom_id", [k for k, v in SPEC_SYMPTOMS.items() if v == "urgent"])
def test_urgent_messages_say_whom_to_call_and_how_soon(shipped: Content, symptom_id: str) -> None:
    symptom = next(s for s in shipped["coaching"]["symptoms"] if s["id"] == symptom_id)
    nl, en = symptom["message"]["nl"].lower(), symptom["message"]["en"].lower()
    assert "huisartsenpost" in nl and "112" in nl
    assert "vandaag" in nl or " nu" in nl
    assert "112" in en and "gp" in en
    assert "today" in en or " now" in en


def test_education_messages_and_daily_routines(shipped: Content) -> None:
    coaching = shipped["coaching"]
    assert len(coaching["tips"]) >= 20
    ids = {ex["id"] for ex in shipped["exercises"]["exercises"]}
    morning = coaching["daily_routines"]["morning"]["exercises"]
    assert {"pelvic-tilt", "hip-hinge", "thoracic-rotation"} <= set(morning)
    for part in ("morning", "afternoon", "evening"):
        assert set(coaching["daily_routines"][part]["exercises"]) <= ids


def test_cross_check_finds_nothing_in_shipped_content(shipped: Content) -> None:
    assert content.cross_check(shipped) == []


def test_the_runtime_vocabularies_match_the_schema() -> None:
    """vocab.py repeats schema.py's Literal values so that start-up need not import the
    schema; the two must never drift apart."""
    from typing import get_args

    from rugcoach import schema, vocab

    assert get_args(schema.Lang) == vocab.LANGS
    assert get_args(schema.Category) == vocab.CATEGORIES
    assert get_args(schema.Profile) == vocab.PROFILES
    assert get_args(schema.Level) == vocab.LEVELS
