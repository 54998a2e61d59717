"""`rugcoach session`: follow today's routine along, then log it (SPEC §9).

parse → plan → run the session (coach/session.py, through term/session.py) → one diary entry with
the exercises done and the exercise pain. An `urgent` warning stops it before it starts, with
nothing written. Ctrl-C keeps what was done.
"""

from __future__ import annotations

import sys
import time
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

from rugcoach.cli.prompts import interactive
from rugcoach.cli.runtime import runtime
from rugcoach.cli.shell import DateOption, app, entry_clock, today
from rugcoach.dates import past_day
from rugcoach.errors import RugcoachError
from rugcoach.i18n import pick, t
from rugcoach.term.output import say

if TYPE_CHECKING:
    from rugcoach.cli.runtime import Runtime
    from rugcoach.coach.plan import Plan
    from rugcoach.schema import Entry


def read_line() -> str | None:
    """One answer from standard input, without its line end; None at the end of the input."""
    line = sys.stdin.readline()
    return line.rstrip("\r\n") if line else None


def sleep(seconds: float) -> None:
    """How a timer waits without a terminal (the tests replace it with a no-op)."""
    time.sleep(seconds)


def _terminal() -> bool:
    if not interactive():
        return False
    try:
        import termios  # noqa: F401 - a terminal we can read single keys from
    except ImportError:  # pragma: no cover - Windows
        return False
    return True


@app.command("session", help=t("help.session"))
def session_(
    day_text: DateOption = None,
    no_timers: Annotated[bool, typer.Option("--no-timers", help=t("help.opt.no_timers"))] = False,
) -> None:
    from rugcoach.coach import plan as coach
    from rugcoach.coach import session
    from rugcoach.programme import prescription as programmes

    now = today()
    day = past_day(day_text, now)
    rt = runtime()
    content, diary = rt.content(), rt.diary()
    plan = coach.plan(content, diary, day, programmes.load(content))
    urgent = [a for a in plan.warnings if a.level == "urgent"]
    if urgent or plan.load == coach.LOAD_PAUSED:
        from rugcoach.coach import alert_text

        message = alert_text.message(urgent[0]) if urgent else ""
        raise RugcoachError(t("session.urgent", message=message).strip())
    if not plan.routine:
        say(t("session.nothing"))
        return

    from rugcoach.term.output import console
    from rugcoach.term.session import PlainIo, TerminalIo

    out = console()
    _show_warnings(plan)
    if plan.programme is not None:
        from rich.markup import escape

        from rugcoach.programme.prescription import label

        out.print(f"[bold]{escape(label(plan.programme))}[/bold]")
    timers = not no_timers
    reduced = plan.load == coach.LOAD_REDUCED
    if _terminal():
        with TerminalIo(out, sys.stdin.fileno()) as io:
            io.today = day == now
            result = session.run(plan.routine, io, timers=timers, reduced=reduced)
    else:
        plain = PlainIo(out, lambda: read_line(), lambda seconds: sleep(seconds))
        plain.today = day == now
        result = session.run(plan.routine, plain, timers=timers, reduced=reduced)

    values = result.entry_values()
    if values is None:
        say(t("session.nothing_logged"))
    else:
        entry = _log(rt, day, values)
        say(
            t(
                "session.logged",
                id=entry["id"],
                date=entry["date"],
                done=len(result.done),
                total=result.total,
            )
        )
        names = {item.exercise["id"]: pick(item.exercise["name"]) for item in plan.routine}
        for kind, ids in (("hard", result.hard), ("easy", result.easy)):
            if ids:
                say(t(f"log.feedback.{kind}", names=", ".join(names.get(i, i) for i in ids)))
    if result.interrupted:
        raise typer.Exit(130)


def _show_warnings(plan: Plan) -> None:
    """Consult and adjust warnings stay in view: the session goes on, within comfort."""
    if plan.warnings:
        from rugcoach.term.plan import warnings_panel

        warnings_panel(plan.warnings)


def _log(rt: Runtime, day: date, values: dict[str, Any]) -> Entry:
    """One entry, like `rugcoach log --done ... --exercise-pain N --date D`."""
    from rugcoach.cli.diary import append_entry

    entry_time, offset = entry_clock(day, None)  # when the session ended
    return append_entry(rt, day, values, entry_time, offset)[0]
