"""The session's timers follow each exercise's own pace (SPEC §15): `rep_seconds` in the
content data, checked by `validate`, used by the countdown."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from rugcoach import paths
from rugcoach.cli.shell import app
from rugcoach.coach import session
from rugcoach.coach.plan import RoutineItem
from rugcoach.coach.session import Step
from rugcoach.content import load as content

from factories import exercise

PACKAGED = paths.packaged_data()


@pytest.fixture(scope="module")
def library() -> dict[str, dict[str, object]]:
    return {ex["id"]: ex for ex in content.load()["exercises"]["exercises"]}  # type: ignore[misc]


def test_a_set_of_repetitions_is_timed_at_the_given_pace() -> None:
    got = session.steps({"phase": 1, "sets": 2, "reps": 8, "rest_seconds": 20}, 10)
    assert got == (
        Step("work", 80, 1, 2, None, 8, 10),
        Step("rest", 20, 1, 2),
        Step("work", 80, 2, 2, None, 8, 10),
    )
    # A timed hold is not paced by repetitions.
    (hold,) = session.steps({"phase": 1, "sets": 1, "seconds": 30}, 10)
    assert (hold.kind, hold.seconds, hold.reps) == ("work", 30, None)


def test_the_packaged_exercises_have_their_own_pace(library: dict[str, dict[str, object]]) -> None:
    paces = {ex_id: session.pace(ex) for ex_id, ex in library.items()}  # type: ignore[arg-type]
    assert paces["long-exhale-breathing"] >= 8  # in 3-4 counts, out 6-8
    assert paces["bird-dog"] > session.REP_SECONDS  # held for three counts
    assert paces["kettlebell-swing"] < session.REP_SECONDS  # explosive
    assert paces["walking"] == session.REP_SECONDS  # no reps: the default, unused


def test_a_breathing_session_waits_the_breaths_out(library: dict[str, dict[str, object]]) -> None:
    breath = library["long-exhale-breathing"]
    dose = breath["dose"][0]  # type: ignore[index]
    item = RoutineItem(breath, dose, 4, False)  # type: ignore[arg-type]
    pace = session.pace(breath)  # type: ignore[arg-type]
    work = dose["sets"] * dose["reps"] * pace
    rest = (dose["sets"] - 1) * dose.get("rest_seconds", session.DEFAULT_REST_SECONDS)
    assert session.item_seconds(item) == work + rest
    waited: list[float] = []

    class Io:
        def show(self, event: object) -> None:
            pass

        def read(self, prompt: str) -> str | None:
            return ""

        def wait(self, seconds: float) -> str | None:
            waited.append(seconds)
            return None

    session.run([item], Io())
    assert sum(waited) == work + rest


def test_the_countdown_label_names_the_pace() -> None:
    from rugcoach.term.session import step_label

    label = step_label(Step("work", 80, 1, 2, None, 8, 10))
    assert "8" in label and "10 s" in label


def test_validate_checks_rep_seconds(runner: CliRunner, tmp_path: Path) -> None:
    text = (PACKAGED / "exercises.yaml").read_text("utf-8")
    bad = tmp_path / "exercises.yaml"
    bad.write_text(text.replace("    rep_seconds: 10\n", "    rep_seconds: 0\n", 1), "utf-8")
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 1 and "rep_seconds" in result.stdout
    # A pace for an exercise whose doses count no reps (walking is timed in minutes).
    walking = "  - id: walking\n"
    start = text.index(walking)
    at = text.index("    minutes:", start)
    line_end = text.index("\n", at) + 1
    bad.write_text(text[:line_end] + "    rep_seconds: 5\n" + text[line_end:], "utf-8")
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 1
    assert "rep_seconds" in result.stdout and "reps" in result.stdout
    line = text[:line_end].count("\n") + 1
    assert f"{bad}:{line}:" in result.stdout, result.stdout


def test_exercise_factory_has_no_pace() -> None:
    assert "rep_seconds" not in exercise("x", "mobility", [{"phase": 1, "sets": 1, "reps": 2}])
