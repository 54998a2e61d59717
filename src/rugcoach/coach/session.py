"""The guided session's core (SPEC §9): the steps of each exercise, and the walk through them.

No terminal here: everything the person sees is an event passed to `Io.show`, every answer
comes from `Io.read` (a line, or a key on a terminal; None when the input has ended) and every
timer waits through `Io.wait` (which returns a key pressed meanwhile). The terminal layer is
`term/session.py`; the tests drive this module with a scripted `Io` and no real time.

The flow, for each exercise of the day's routine: its card → "Enter to start, s to skip, q to
stop" → a countdown for each set (each side, for a per-side dose) with a rest between sets →
the next exercise. At the end the person is asked for the exercise pain (0-10) and given the
rule of thumb. Ctrl-C (KeyboardInterrupt, from anywhere inside) ends the run at once; what
was done until then is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from rugcoach.coach.plan import RoutineItem
    from rugcoach.schema import Dose, Exercise

NEXT, SKIP, QUIT = "next", "skip", "quit"
DEFAULT_REST_SECONDS = 30  # between sets, when the dose names no rest
SWITCH_SECONDS = 5  # to change sides, between the two sides of a per-side set
REP_SECONDS = 4  # the pace of one repetition, unless the exercise names its own
ACCEPTABLE_PAIN = 5  # exercise pain up to this is acceptable (SPEC §2, §4)

# What the person may answer: Enter (an empty line) goes on; s skips; q stops.
_ANSWERS = {
    "": NEXT,
    "s": SKIP,
    "skip": SKIP,
    "o": SKIP,
    "overslaan": SKIP,
    "q": QUIT,
    "quit": QUIT,
    "stop": QUIT,
    "stoppen": QUIT,
}


# After each exercise done: how it felt (SPEC §11). Enter = fine.
FINE, HARD, EASY = "fine", "hard", "easy"
_FEEDBACK = {
    "": FINE,
    "h": HARD,
    "hard": HARD,
    "z": HARD,
    "zwaar": HARD,
    "e": EASY,
    "easy": EASY,
    "m": EASY,
    "makkelijk": EASY,
}


def answer(text: str | None) -> str | None:
    """NEXT / SKIP / QUIT for an answer; QUIT when the input has ended; None if unknown."""
    if text is None:
        return QUIT
    return _ANSWERS.get(text.strip().lower())


# ------------------------------------------------------------------------------- steps


@dataclass(frozen=True)
class Step:
    """One timed part of an exercise: a set (or one side of it), a side switch, or a rest."""

    kind: str  # "work" | "switch" | "rest"
    seconds: int
    set_number: int  # 1-based
    sets: int
    side: int | None = None  # 1 or 2 for a per-side dose
    reps: int | None = None  # a set of repetitions, timed at `pace` seconds each
    pace: int = REP_SECONDS


def pace(exercise: Exercise) -> int:
    """Seconds per repetition: the exercise's own `rep_seconds` (a long-exhale breath takes
    about 10 s, a slow controlled rep 5-6 s), else REP_SECONDS."""
    return exercise.get("rep_seconds", REP_SECONDS)


def steps(dose: Dose, rep_seconds: int = REP_SECONDS) -> tuple[Step, ...]:
    """The timed steps of a dose, in order: sets (both sides of each, with a switch between),
    and a rest between sets (none after the last). A repetition takes `rep_seconds`."""
    sets = dose["sets"]
    reps = dose.get("reps")
    if "seconds" in dose:
        work, reps = dose["seconds"], None
    elif reps is not None:
        work = reps * rep_seconds
    else:
        work = dose.get("minutes", 1) * 60
    rest = dose.get("rest_seconds", DEFAULT_REST_SECONDS)
    sides: tuple[int | None, ...] = (1, 2) if dose.get("per_side") else (None,)
    out: list[Step] = []
    for number in range(1, sets + 1):
        for side in sides:
            if side == 2:
                out.append(Step("switch", SWITCH_SECONDS, number, sets, side))
            out.append(Step("work", work, number, sets, side, reps, rep_seconds))
        if number < sets and rest > 0:
            out.append(Step("rest", rest, number, sets))
    return tuple(out)


def total_seconds(dose: Dose, rep_seconds: int = REP_SECONDS) -> int:
    return sum(step.seconds for step in steps(dose, rep_seconds))


def item_seconds(item: RoutineItem) -> int:
    """How long an exercise of the routine takes, at its own pace."""
    return total_seconds(item.dose, pace(item.exercise))


# ------------------------------------------------------------------------------ events


@dataclass(frozen=True)
class Intro:
    total: int  # exercises today
    minutes: int
    reduced: bool  # a lighter load today (an adjust warning)
    timers: bool


@dataclass(frozen=True)
class Card:
    item: RoutineItem
    number: int  # 1-based
    total: int


@dataclass(frozen=True)
class Tick:
    """A countdown at `remaining` seconds (from step.seconds down to 0, the end)."""

    item: RoutineItem
    step: Step
    remaining: int


@dataclass(frozen=True)
class StepEnd:
    item: RoutineItem
    step: Step
    how: str  # "completed" (the timer ran out), NEXT (Enter), SKIP or QUIT


@dataclass(frozen=True)
class Untimed:
    """--no-timers: the exercise is done at the person's own pace."""

    item: RoutineItem


@dataclass(frozen=True)
class Finished:
    item: RoutineItem
    how: str  # "done" | "skipped" | "stopped"


@dataclass(frozen=True)
class Notice:
    """A plain message: an i18n key (session.*) and its parameters."""

    key: str
    params: dict[str, object] = field(default_factory=dict)


Event = Intro | Card | Tick | StepEnd | Untimed | Finished | Notice


class Io(Protocol):
    def show(self, event: Event) -> None: ...

    def read(self, prompt: str) -> str | None:
        """The answer to `prompt` ("start", "done" or "pain"); None when input has ended."""
        ...

    def wait(self, seconds: float) -> str | None:
        """Wait up to `seconds`; a key pressed meanwhile ("" for Enter, "s", "q") ends it."""
        ...


# --------------------------------------------------------------------------------- run


@dataclass(frozen=True)
class Result:
    done: tuple[str, ...]  # exercise ids, in the order done
    skipped: tuple[str, ...]
    total: int
    exercise_pain: int | None
    stopped: bool  # `q`, or the input ended before the last exercise
    interrupted: bool  # Ctrl-C
    hard: tuple[str, ...] = ()  # done, and too hard or painful
    easy: tuple[str, ...] = ()  # done, and too easy

    def entry_values(self) -> dict[str, Any] | None:
        """What the diary entry holds (`log --done ... --exercise-pain N`); None if nothing
        was done, so there is nothing to log."""
        if not self.done:
            return None
        return {
            "done": list(self.done),
            "exercise_pain": self.exercise_pain,
            "hard": list(self.hard),
            "easy": list(self.easy),
        }


def _choose(io: Io, prompt: str) -> str:
    while True:
        action = answer(io.read(prompt))
        if action is not None:
            return action
        io.show(Notice("session.keys"))


def _countdown(io: Io, item: RoutineItem, step: Step, tick: int) -> str:
    """Run one step's timer; "completed", or the action of a key pressed during it."""
    remaining = step.seconds
    while remaining > 0:
        io.show(Tick(item, step, remaining))
        key = io.wait(min(tick, remaining))
        if key is not None:
            action = answer(key)
            if action is not None:
                io.show(StepEnd(item, step, action))
                return action
        remaining -= min(tick, remaining)
    io.show(Tick(item, step, 0))
    io.show(StepEnd(item, step, "completed"))
    return "completed"


def _perform(io: Io, item: RoutineItem, timers: bool, tick: int) -> str:
    """Do one exercise: NEXT when done, SKIP or QUIT."""
    if not timers:
        io.show(Untimed(item))
        return _choose(io, "done")
    for step in steps(item.dose, pace(item.exercise)):
        how = _countdown(io, item, step, tick)
        if how in (SKIP, QUIT):
            return how
    return NEXT


def ask_pain(io: Io) -> int | None:
    """The exercise pain, 0-10; None when the person skips it (Enter) or input has ended."""
    io.show(Notice("session.rule"))
    while True:
        text = io.read("pain")
        if text is None or not text.strip():
            return None
        value = text.strip()
        if value.isdigit() and int(value) <= 10:
            return int(value)
        io.show(Notice("session.bad_pain", {"value": value}))


def ask_feedback(io: Io) -> str:
    """How the exercise felt: FINE (Enter, or the input has ended), HARD or EASY."""
    while True:
        text = io.read("feedback")
        if text is None:
            return FINE
        kind = _FEEDBACK.get(text.strip().lower())
        if kind is not None:
            if kind != FINE:
                io.show(Notice(f"session.feedback.{kind}"))
            return kind
        io.show(Notice("session.bad_feedback"))


def advice(pain: int) -> Notice:
    """What the exercise pain means, by the rule of thumb."""
    if pain <= ACCEPTABLE_PAIN:
        return Notice("session.pain_ok", {"pain": pain})
    return Notice("session.pain_high", {"pain": pain, "limit": ACCEPTABLE_PAIN})


def run(
    items: Sequence[RoutineItem],
    io: Io,
    *,
    timers: bool = True,
    tick: int = 1,
    reduced: bool = False,
) -> Result:
    """The whole session; never raises KeyboardInterrupt (it ends the run, keeping what was
    done)."""
    done: list[str] = []
    skipped: list[str] = []
    felt: dict[str, list[str]] = {HARD: [], EASY: []}
    stopped = interrupted = False
    pain = None
    try:
        io.show(Intro(len(items), sum(i.minutes for i in items), reduced, timers))
        for number, item in enumerate(items, 1):
            ex_id = item.exercise["id"]
            io.show(Card(item, number, len(items)))
            action = _choose(io, "start")
            if action == NEXT:
                action = _perform(io, item, timers, tick)
            if action == QUIT:
                io.show(Finished(item, "stopped"))
                stopped = True
                break
            if action == SKIP:
                skipped.append(ex_id)
                io.show(Finished(item, "skipped"))
                continue
            done.append(ex_id)
            io.show(Finished(item, "done"))
            kind = ask_feedback(io)
            if kind in felt:
                felt[kind].append(ex_id)
        if done:
            pain = ask_pain(io)
            if pain is not None:
                io.show(advice(pain))
    except KeyboardInterrupt:
        interrupted = True
    return Result(
        tuple(done),
        tuple(skipped),
        len(items),
        pain,
        stopped,
        interrupted,
        tuple(felt[HARD]),
        tuple(felt[EASY]),
    )
