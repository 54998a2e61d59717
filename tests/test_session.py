"""The guided session's core (coach/session.py): the steps of a dose and the run through a routine,
driven by a scripted Io — no terminal, no real time."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest

from rugcoach.coach import session
from rugcoach.coach.plan import RoutineItem
from rugcoach.coach.session import NEXT, QUIT, SKIP, Step

from factories import exercise

INTERRUPT = object()  # a scripted Ctrl-C
F = ""  # "how was it?" after an exercise: Enter = fine


def item(ex_id: str, **dose: Any) -> RoutineItem:
    amount = {k: v for k, v in dose.items() if k != "sets"}
    made = exercise(ex_id, "mobility", [{"phase": 1, "sets": dose.get("sets", 2), **amount}])
    return RoutineItem(made, made["dose"][0], made["minutes"], False)  # type: ignore[arg-type]


class Script:
    """An Io that answers from a list and presses keys during waits from another list."""

    def __init__(self, answers: Iterable[object] = (), keys: Iterable[object] = ()) -> None:
        self.answers = list(answers)
        self.keys = list(keys)
        self.events: list[session.Event] = []
        self.prompts: list[str] = []
        self.waited: list[float] = []

    def show(self, event: session.Event) -> None:
        self.events.append(event)

    def read(self, prompt: str) -> str | None:
        self.prompts.append(prompt)
        answer = self.answers.pop(0) if self.answers else None
        if answer is INTERRUPT:
            raise KeyboardInterrupt
        return answer  # type: ignore[return-value]

    def wait(self, seconds: float) -> str | None:
        self.waited.append(seconds)
        key = self.keys.pop(0) if self.keys else None
        if key is INTERRUPT:
            raise KeyboardInterrupt
        return key  # type: ignore[return-value]

    def of(self, kind: type) -> list[Any]:
        return [e for e in self.events if isinstance(e, kind)]

    def notices(self) -> list[str]:
        return [e.key for e in self.of(session.Notice)]


ROUTINE = [
    item("breath", sets=2, reps=3),  # 12 s, rest 30, 12 s
    item("plank", sets=2, seconds=10, rest_seconds=5),  # 10, 5, 10
    item("side-bend", sets=1, reps=2, per_side=True),  # 8, switch 5, 8
]


# ------------------------------------------------------------------------------- steps


def test_steps_of_a_set_of_repetitions_with_the_default_rest() -> None:
    got = session.steps({"phase": 1, "sets": 3, "reps": 8})
    work = 8 * session.REP_SECONDS
    rest = session.DEFAULT_REST_SECONDS
    assert got == (
        Step("work", work, 1, 3, None, 8),
        Step("rest", rest, 1, 3),
        Step("work", work, 2, 3, None, 8),
        Step("rest", rest, 2, 3),
        Step("work", work, 3, 3, None, 8),
    )


def test_steps_of_a_hold_per_side_switch_sides_within_a_set() -> None:
    got = session.steps({"phase": 1, "sets": 2, "seconds": 20, "per_side": True})
    assert [(s.kind, s.seconds, s.set_number, s.side) for s in got] == [
        ("work", 20, 1, 1),
        ("switch", session.SWITCH_SECONDS, 1, 2),
        ("work", 20, 1, 2),
        ("rest", session.DEFAULT_REST_SECONDS, 1, None),
        ("work", 20, 2, 1),
        ("switch", session.SWITCH_SECONDS, 2, 2),
        ("work", 20, 2, 2),
    ]
    assert all(s.reps is None for s in got)


def test_steps_use_the_dose_rest_and_minutes() -> None:
    got = session.steps({"phase": 4, "sets": 2, "reps": 8, "rest_seconds": 90})
    assert [s.seconds for s in got] == [32, 90, 32]
    assert session.steps({"phase": 1, "sets": 2, "reps": 5, "rest_seconds": 0}) == (
        Step("work", 20, 1, 2, None, 5),
        Step("work", 20, 2, 2, None, 5),
    )
    assert session.steps({"phase": 1, "sets": 1, "minutes": 10}) == (Step("work", 600, 1, 1),)
    assert session.total_seconds({"phase": 1, "sets": 2, "seconds": 10, "rest_seconds": 5}) == 25


# --------------------------------------------------------------------------------- run


def test_a_whole_session_counts_every_second_down_and_asks_the_pain() -> None:
    io = Script(answers=["", F, "", F, "", F, "3"])
    result = session.run(ROUTINE, io)
    assert result.done == ("breath", "plank", "side-bend")
    assert result.skipped == () and not result.stopped and not result.interrupted
    assert result.exercise_pain == 3 and result.total == 3
    assert result.entry_values() == {
        "done": ["breath", "plank", "side-bend"],
        "exercise_pain": 3,
        "hard": [],
        "easy": [],
    }
    assert io.prompts == ["start", "feedback"] * 3 + ["pain"]
    # Every step waited its full length, a second at a time.
    expected = sum(session.item_seconds(i) for i in ROUTINE)
    assert sum(io.waited) == expected and set(io.waited) == {1}
    # The first exercise: card, the countdown of each step from its length to 0, the end.
    ticks = [(e.step.kind, e.remaining) for e in io.of(session.Tick) if e.item is ROUTINE[0]]
    assert ticks[:13] == [("work", n) for n in range(12, -1, -1)]
    assert [e.how for e in io.of(session.StepEnd)] == ["completed"] * 9
    assert [(e.number, e.total) for e in io.of(session.Card)] == [(1, 3), (2, 3), (3, 3)]
    assert [e.how for e in io.of(session.Finished)] == ["done"] * 3
    assert io.notices() == ["session.rule", "session.pain_ok"]
    intro = io.of(session.Intro)[0]
    assert (intro.total, intro.minutes, intro.timers) == (3, 9, True)


def test_the_order_of_events_is_card_start_countdown_next() -> None:
    io = Script(answers=["", F, "q"])
    session.run(ROUTINE[1:], io)
    kinds = [type(e).__name__ for e in io.events]
    first_card = kinds.index("Card")
    assert kinds[0] == "Intro"
    assert kinds[first_card + 1] == "Tick"  # the countdown starts once Enter was read
    assert kinds[kinds.index("Finished") + 1] == "Card"  # then the next exercise's card


def test_skipping_at_the_card_and_stopping_later() -> None:
    io = Script(answers=["s", "", F, "q", "6"])
    result = session.run(ROUTINE, io)
    assert result.skipped == ("breath",)
    assert result.done == ("plank",)
    assert result.stopped and not result.interrupted
    assert result.exercise_pain == 6
    assert [e.how for e in io.of(session.Finished)] == ["skipped", "done", "stopped"]
    assert io.notices()[-1] == "session.pain_high"


def test_s_during_a_countdown_skips_the_rest_of_that_exercise() -> None:
    # breath: press s after 3 seconds of its first set; plank and side-bend in full.
    io = Script(answers=["", "", F, "", F], keys=[None, None, "s"])
    result = session.run(ROUTINE, io)
    assert result.skipped == ("breath",)
    assert result.done == ("plank", "side-bend")
    assert next(e.how for e in io.of(session.StepEnd)) == SKIP
    assert not [t for t in io.of(session.Tick) if t.item is ROUTINE[0] and t.step.kind == "rest"]


def test_q_during_a_countdown_stops_the_session() -> None:
    io = Script(answers=["", "", "2"], keys=[None] * 34 + ["q"])  # breath: 12 + 30 + 12 = 54 s
    result = session.run(ROUTINE, io)
    assert result.done == ()
    assert result.stopped
    assert result.entry_values() is None
    assert io.prompts == ["start"]  # no pain question: nothing was done


def test_enter_during_a_countdown_ends_only_that_step() -> None:
    # Enter at once in every step of the first exercise: it is done, in three waits.
    io = Script(answers=["", F, "q", "0"], keys=["", "", ""])
    result = session.run(ROUTINE, io)
    assert result.done == ("breath",) and result.stopped
    assert [e.how for e in io.of(session.StepEnd)] == [NEXT, NEXT, NEXT]
    assert len(io.waited) == 3
    assert result.exercise_pain == 0


def test_an_unknown_answer_is_asked_again() -> None:
    io = Script(answers=["x", "start", "", "q", ""])
    result = session.run(ROUTINE, io, timers=False)
    assert io.notices()[:2] == ["session.keys", "session.keys"]
    assert result.done == ()  # "" started; "q" at "done" stopped it before it counted
    assert io.prompts == ["start", "start", "start", "done"]


def test_the_end_of_the_input_stops_like_q() -> None:
    io = Script(answers=["", ""])  # start and finish the first; then the input ends
    result = session.run(ROUTINE, io, timers=False)
    assert result.done == ("breath",) and result.stopped
    assert result.exercise_pain is None  # asked, but no answer came
    assert result.entry_values() == {
        "done": ["breath"],
        "exercise_pain": None,
        "hard": [],
        "easy": [],
    }


def test_without_timers_nothing_waits() -> None:
    io = Script(answers=["", "", F, "s", "", "", F, "4"])
    result = session.run(ROUTINE, io, timers=False)
    assert io.waited == [] and io.of(session.Tick) == []
    assert [e.item for e in io.of(session.Untimed)] == [ROUTINE[0], ROUTINE[2]]
    assert result.done == ("breath", "side-bend") and result.skipped == ("plank",)
    assert result.exercise_pain == 4
    assert io.prompts == [
        "start", "done", "feedback", "start", "start", "done", "feedback", "pain"
    ]  # fmt: skip


# ---------------------------------------------------------------------------- Ctrl-C


def test_ctrl_c_at_a_prompt_keeps_what_was_done() -> None:
    io = Script(answers=["", "", "h", INTERRUPT])
    result = session.run(ROUTINE, io, timers=False)
    assert result.interrupted and not result.stopped
    assert result.done == ("breath",)
    assert result.entry_values() == {
        "done": ["breath"],
        "exercise_pain": None,
        "hard": ["breath"],
        "easy": [],
    }


def test_ctrl_c_during_a_countdown_keeps_what_was_done() -> None:
    io = Script(answers=["", F, ""], keys=[None] * 54 + [None, INTERRUPT])
    result = session.run(ROUTINE, io)
    assert result.interrupted
    assert result.done == ("breath",)  # plank was under way: not counted


def test_ctrl_c_at_the_pain_question_keeps_the_exercises() -> None:
    io = Script(answers=["", "", F, "", "", F, "", "", F, INTERRUPT])
    result = session.run(ROUTINE, io, timers=False)
    assert result.interrupted
    assert result.done == ("breath", "plank", "side-bend")
    assert result.exercise_pain is None


def test_ctrl_c_before_anything_was_done_logs_nothing() -> None:
    result = session.run(ROUTINE, Script(answers=[INTERRUPT]))
    assert result.interrupted and result.entry_values() is None


# ----------------------------------------------------------------------- the pain answer


@pytest.mark.parametrize(
    ("answers", "pain", "refused"),
    [
        (["5"], 5, 0),
        ([" 10 "], 10, 0),
        (["11", "-1", "4.5", "vijf", "2"], 2, 4),
        ([""], None, 0),
        ([], None, 0),
    ],
)
def test_ask_pain(answers: list[str], pain: int | None, refused: int) -> None:
    io = Script(answers=answers)
    assert session.ask_pain(io) == pain
    assert io.notices() == ["session.rule"] + ["session.bad_pain"] * refused


def test_the_rule_of_thumb_draws_the_line_at_5() -> None:
    assert session.advice(0).key == "session.pain_ok"
    assert session.advice(5).key == "session.pain_ok"
    high = session.advice(6)
    assert high.key == "session.pain_high" and high.params == {"pain": 6, "limit": 5}


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("", NEXT),
        ("  ", NEXT),
        ("s", SKIP),
        ("S", SKIP),
        ("skip", SKIP),
        ("overslaan", SKIP),
        ("q", QUIT),
        ("stop", QUIT),
        (None, QUIT),
        ("x", None),
        ("5", None),
    ],
)
def test_answers(text: str | None, action: str | None) -> None:
    assert session.answer(text) == action


# ---------------------------------------------------------------------- how it felt


def test_after_each_exercise_done_it_asks_how_it_felt() -> None:
    # breath: too hard; plank: skipped (not asked); side-bend: asked twice (a typo), too easy.
    io = Script(answers=["", "", "h", "s", "", "", "x", "E", "2"])
    result = session.run(ROUTINE, io, timers=False)
    assert result.done == ("breath", "side-bend")
    assert (result.hard, result.easy) == (("breath",), ("side-bend",))
    assert io.prompts.count("feedback") == 3
    assert io.notices()[:3] == [
        "session.feedback.hard",
        "session.bad_feedback",
        "session.feedback.easy",
    ]
    values = result.entry_values()
    assert values is not None and (values["hard"], values["easy"]) == (["breath"], ["side-bend"])


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("", "fine"),
        ("h", "hard"),
        ("zwaar", "hard"),
        (" e ", "easy"),
        ("m", "easy"),
        (None, "fine"),
    ],
)
def test_feedback_answers(text: str | None, kind: str) -> None:
    assert session.ask_feedback(Script(answers=[text])) == kind
