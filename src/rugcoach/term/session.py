"""The guided session in the terminal: how its events look, and where its answers come from.

`PlainIo` works anywhere (a pipe, a test): answers are lines from `read_line` (an empty line
is Enter), timers wait through `sleep`, and a countdown prints one line as each step starts.
`TerminalIo` is for a person at a terminal: single keys (Enter, s, q) without pressing Enter,
also during a countdown, and a live Rich progress bar for every hold, set and rest.

Rich is imported here, and this module only by the `session` command.
"""

from __future__ import annotations

import contextlib
import os
import select
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape

from rugcoach.coach import session
from rugcoach.i18n import pick, t
from rugcoach.term.output import dose_text

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from rugcoach.coach.plan import RoutineItem

_KEYS = {"\r": "", "\n": "", "s": "s", "S": "s", "o": "o", "O": "o", "q": "q", "Q": "q"}
MIN_BAR = 10  # the narrowest countdown bar that still reads as one

# How an exercise felt (asked after each one): h = too hard, e = too easy.
_KEYS.update({"h": "h", "H": "h", "e": "e", "E": "e"})
_EOF = "\x04"  # Ctrl-D, read as a plain byte when the terminal does not wait for lines


def _name(item: RoutineItem) -> str:
    return pick(item.exercise["name"])


def clock(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"


def step_label(step: session.Step) -> str:
    """'Set 2 of 3 · side 1 · hold 20 s', 'Rest 30 s', 'Switch sides'."""
    if step.kind == "rest":
        return t("session.step.rest", seconds=step.seconds)
    if step.kind == "switch":
        return t("session.step.switch")
    parts = [t("session.step.set", number=step.set_number, sets=step.sets)]
    if step.side is not None:
        parts.append(t("session.step.side", side=step.side))
    if step.reps is not None:
        parts.append(t("session.step.reps", reps=step.reps, seconds=step.pace))
    elif step.seconds % 60 or step.seconds < 60:
        parts.append(t("session.step.hold", seconds=step.seconds))
    else:
        parts.append(t("session.step.minutes", minutes=step.seconds // 60))
    return " · ".join(parts)


def countdown_layout(label: str, counter: str, time_left: str, width: int) -> tuple[bool, int]:
    """Whether the step's label goes on a line of its own, and the bar's width.

    The live line is `label · counter`, a bar and the time left, and must fit the terminal
    (SPEC §15: 60 columns): when the label leaves no room for a bar of MIN_BAR, it is
    printed once above, and the live line keeps only the rep counter."""
    room = width - len(time_left) - 4  # the spaces between the columns, and a margin
    whole = len(label) + (len(counter) + 3 if counter else 0)
    on_its_own = whole + MIN_BAR > room
    shown = len(counter) if on_its_own else whole
    return on_its_own, max(MIN_BAR, min(30, room - shown))


class PlainIo:
    """Answers line by line, timers through `sleep`; output as plain lines on `out`."""

    def __init__(
        self, out: Console, read_line: Callable[[], str | None], sleep: Callable[[float], None]
    ) -> None:
        self.out = out
        self.read_line = read_line
        self.sleep = sleep
        # False for a session of another day (`--date gisteren`): not called "today's".
        self.today = True

    # ------------------------------------------------------------------ input

    def read(self, prompt: str) -> str | None:
        self.out.print(t(f"session.prompt.{prompt}"))
        return self.read_line()

    def wait(self, seconds: float) -> str | None:
        self.sleep(seconds)
        return None

    # ----------------------------------------------------------------- output

    def show(self, event: session.Event) -> None:
        out = self.out
        if isinstance(event, session.Intro):
            intro = "session.intro" if self.today else "session.intro.other"
            out.print(f"[bold]{t(intro, total=event.total, minutes=event.minutes)}[/]")
            if event.reduced:
                out.print(t("session.reduced" if self.today else "session.reduced.other"))
            out.print(t("session.how" if event.timers else "session.how_untimed"))
        elif isinstance(event, session.Card):
            self.card(event.item, event.number, event.total)
        elif isinstance(event, session.Tick):
            self.tick(event)
        elif isinstance(event, session.StepEnd):
            self.step_end(event)
        elif isinstance(event, session.Untimed):
            out.print(t("session.untimed", dose=dose_text(event.item.dose)))
        elif isinstance(event, session.Finished):
            out.print(t(f"session.finished.{event.how}", name=escape(_name(event.item))))
        elif isinstance(event, session.Notice):
            out.print(escape(t(event.key, **event.params)))

    def card(self, item: RoutineItem, number: int, total: int) -> None:
        """The exercise's instruction card: what, how, today's dose, what to watch, when to stop."""
        from rich.console import Group
        from rich.panel import Panel
        from rich.table import Table

        ex = item.exercise
        how = Table.grid(padding=(0, 1))
        how.add_column(justify="right", no_wrap=True)
        how.add_column()
        for n, step in enumerate(ex["steps"], 1):
            how.add_row(f"{n}.", escape(pick(step)))
        rest = item.dose.get("rest_seconds")
        dose = dose_text(item.dose) + (t("card.rest", seconds=rest) if rest else "")
        if item.reduced:
            dose += " " + t("session.card.reduced")
        said = t("session.card.dose" if self.today else "session.card.dose.other")
        lines = [f"[bold]{said}[/] {dose}"]
        if item.source == "programme" and item.note is not None:
            from rugcoach.i18n import current
            from rugcoach.programme.prescription import note_text

            note = " ".join((note_text(item.note, current()) or "").split())
            lines.append(f"[bold]{t('session.card.therapist')}[/] {escape(note)}")
        for key, texts in (("card.cues", ex["cues"]), ("card.stop_when", ex["stop_when"])):
            if texts:
                lines.append(f"[bold]{t(key)}:[/] " + escape(" ".join(pick(x) for x in texts)))
        body = Group(escape(pick(ex["summary"])), "", how, "", "\n".join(lines))
        title = f"[bold]{number}/{total} · {escape(_name(item))}[/]"
        self.out.print()
        self.out.print(Panel(body, title=title, title_align="left"))

    def tick(self, event: session.Tick) -> None:
        if event.remaining == event.step.seconds:
            self.out.print(f"  {step_label(event.step)}")

    def step_end(self, event: session.StepEnd) -> None:
        pass


class TerminalIo(PlainIo):
    """Keys without Enter (the terminal in cbreak mode), a live progress bar per step.

    Use as a context manager: the terminal is put back as it was, whatever happens.
    """

    def __init__(self, out: Console, fd: int) -> None:
        super().__init__(out, self._line, time.sleep)
        self.fd = fd
        self._saved: list[Any] | None = None
        self._progress: Progress | None = None
        self._task: TaskID | None = None

    def __enter__(self) -> TerminalIo:
        import termios

        self._saved = termios.tcgetattr(self.fd)
        self._cbreak()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop_progress()
        self._cooked()

    def _cbreak(self) -> None:
        import termios

        if self._saved is None:
            return
        mode = termios.tcgetattr(self.fd)
        mode[3] &= ~(termios.ECHO | termios.ICANON)  # lflag: no echo, no line editing
        mode[6][termios.VMIN], mode[6][termios.VTIME] = 1, 0
        termios.tcsetattr(self.fd, termios.TCSANOW, mode)

    def _cooked(self) -> None:
        import termios

        if self._saved is not None:
            with contextlib.suppress(OSError, termios.error):
                termios.tcsetattr(self.fd, termios.TCSANOW, self._saved)

    def _line(self) -> str | None:
        self._cooked()
        try:
            return input("> ")
        except EOFError:
            return None
        finally:
            self._cbreak()

    def _key(self, timeout: float | None) -> str | None:
        """A key we know ("" for Enter, "s", "o", "q"), "EOF" for Ctrl-D, or None when
        `timeout` passed first. Other keys are ignored."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select([self.fd], [], [], left)
            if not ready:
                return None
            char = os.read(self.fd, 1).decode("utf-8", "replace")
            if char == _EOF or char == "":
                return "EOF"
            if char in _KEYS:
                return _KEYS[char]

    def read(self, prompt: str) -> str | None:
        if prompt == "pain":
            self.out.print(t("session.prompt.pain"))
            return self._line()
        self.out.print(f"[dim]{t(f'session.prompt.{prompt}')}[/]")
        key = self._key(None)
        return None if key == "EOF" else key

    def wait(self, seconds: float) -> str | None:
        key = self._key(seconds)
        return "q" if key == "EOF" else key

    def tick(self, event: session.Tick) -> None:
        from rich.progress import BarColumn, Progress, TextColumn

        step = event.step
        elapsed = step.seconds - event.remaining
        label = step_label(step)
        counter = widest = ""
        if step.reps is not None:
            rep = min(step.reps, elapsed // step.pace + 1)
            counter = t("session.step.rep", rep=rep, reps=step.reps)
            widest = t("session.step.rep", rep=step.reps, reps=step.reps)
        on_its_own, bar = countdown_layout(label, widest, clock(step.seconds), self.out.width)
        label = counter if on_its_own else " · ".join(x for x in (label, counter) if x)
        if self._progress is None:
            if on_its_own:
                self.out.print(f"  {escape(step_label(step))}")
            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(bar_width=bar),
                TextColumn("{task.fields[left]}"),
                console=self.out,
                transient=True,
                auto_refresh=False,
            )
            self._progress.start()
            self._task = self._progress.add_task(label, total=step.seconds, left="")
        assert self._task is not None
        self._progress.update(
            self._task, description=label, completed=elapsed, left=clock(event.remaining)
        )
        self._progress.refresh()

    def step_end(self, event: session.StepEnd) -> None:
        self._stop_progress()
        if event.step.kind == "work" and event.how in ("completed", session.NEXT):
            self.out.print(f"  [green]✓[/] {step_label(event.step)}")

    def _stop_progress(self) -> None:
        if self._progress is not None:
            with contextlib.suppress(Exception):
                self._progress.stop()
            self._progress = None
            self._task = None
