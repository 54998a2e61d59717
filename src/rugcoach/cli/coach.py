"""Commands that coach: today's plan and the phase (status, next, set)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from rugcoach.cli.runtime import runtime
from rugcoach.cli.shell import DateOption, JsonOption, app, today
from rugcoach.dates import parse_day, past_day
from rugcoach.errors import RugcoachError, UsageError
from rugcoach.i18n import t
from rugcoach.term.output import emit_json, say

if TYPE_CHECKING:
    from rugcoach.schema import Diary


def _day(text: str | None) -> date:
    now = today()
    return parse_day(text, now) if text else now


# The rules behind the day's plan look back from the day over windows set in phases.yaml
# (a few weeks), and the "no improvement" rule compares with the first weeks after the
# start. So `today` reads only the entries up to `reach` days before the day and after
# the start, where `reach` is the sum of every number of days in phases.yaml (any one
# window is far shorter), at least TODAY_READS_DAYS. tests/test_cli_today.py pins that
# the plan is the same as from the whole diary.
TODAY_READS_DAYS = 60


def reach(phases: Any) -> int:
    """The sum of every `*_days` value in the phases content (its rule windows)."""
    if isinstance(phases, dict):
        return sum(
            (v if k.endswith("_days") and type(v) is int else 0) + reach(v)
            for k, v in phases.items()
        )
    if isinstance(phases, list):
        return sum(reach(item) for item in phases)
    return 0


def days_today_reads(diary: Diary, day: date, days: int) -> list[tuple[str, str]]:
    """The spans of dates (inclusive, ISO) whose entries the day's plan can look at, for
    rules whose windows add up to `days`."""
    from datetime import timedelta

    span = timedelta(days=max(days, TODAY_READS_DAYS))
    start = date.fromisoformat(diary["profile"]["start_date"])
    # The first days of the diary and of each phase: rules compare with them (no clear
    # improvement, phase-overdue, the programme weeks). Entries with a warning sign are
    # kept by the store whatever their date (an urgent sign stays until cleared).
    firsts = [start, *(date.fromisoformat(p["start"]) for p in diary.get("phases", ()))]
    return [((day - span).isoformat(), day.isoformat())] + [
        (first.isoformat(), (first + span).isoformat()) for first in dict.fromkeys(firsts)
    ]


@app.command("today", help=t("help.today"))
def today_(day_text: DateOption = None, as_json: JsonOption = False) -> None:
    import sys

    from rugcoach.coach import activities
    from rugcoach.coach import plan as coach
    from rugcoach.programme import prescription as programmes

    day = _day(day_text)
    rt = runtime()
    content = rt.content()
    prescribed = programmes.load(content)
    if prescribed is None:
        days = reach(content["phases"])
        diary = rt.diary_window(lambda head: days_today_reads(head, day, days))
    else:
        diary = rt.diary()  # a programme may look back to its own start: all of it
    plan = coach.plan(content, diary, day, prescribed)
    due = activities.rating_due(diary, day)
    if as_json:
        from rugcoach.term import plan as render_plan

        emit_json(render_plan.plan_json(plan, content, activities_due=due))
    else:
        from rugcoach.term import today as render_today

        # The plain view escapes control characters itself, around its own colours.
        text = render_today.today_text(plan, content, activities_due=due, now=today())
        sys.stdout.write(text)
    if prescribed is not None and plan.programme is None and plan.load != coach.LOAD_PAUSED:
        say(t("programme.starts", date=prescribed["from"]))
    if diary is None:
        say(t("today.no_diary"))


phase_app = typer.Typer(cls=TyperGroup, help=t("help.phase"))
app.add_typer(phase_app, name="phase")


@phase_app.callback(invoke_without_command=True)
def phase_status(
    ctx: typer.Context, day_text: DateOption = None, as_json: JsonOption = False
) -> None:
    if ctx.invoked_subcommand is not None:
        return
    from rugcoach.coach import phase as phases
    from rugcoach.coach import plan as coach
    from rugcoach.term import plan as render_plan

    day = _day(day_text)
    rt = runtime()
    content, diary = rt.content(), rt.diary()
    alerts = coach.evaluate(content, diary, day)
    # Judged against the very warnings shown below it (phase-overdue included).
    status = phases.phase_status(content, diary, day, alerts=alerts)
    if as_json:
        emit_json(
            {
                **render_plan.phase_json(status),
                "warnings": [render_plan.alert_json(a) for a in alerts],
            }
        )
    else:
        render_plan.phase_text(status, alerts)
    if diary is None:
        say(t("today.no_diary"))


@phase_app.command("next", help=t("help.phase.next"))
def phase_next(
    day_text: DateOption = None,
    force: Annotated[bool, typer.Option("--force", help=t("help.opt.phase_force"))] = False,
) -> None:
    from rugcoach.coach import phase as phases
    from rugcoach.diary import edits as diaries
    from rugcoach.term import plan as render_plan

    day = past_day(day_text, today())
    rt = runtime()
    content = rt.content()

    def advance(current: Diary | None) -> Diary:
        if current is None:
            raise RugcoachError(t("error.no_diary"))
        status = phases.phase_status(content, current, day)
        if status.final or status.next_phase is None:
            raise RugcoachError(t("phase.final", phase=status.number))
        if not status.ready and not force:
            # One sentence: each reason without its own full stop, so no ".;" or "..".
            unmet = "; ".join(
                render_plan.reason_text(r).rstrip(".") for r in status.reasons if r.met is False
            )
            raise RugcoachError(t("phase.refused", next=status.next_phase, reasons=unmet))
        how = "next" if status.ready else "forced"
        return diaries.start_phase(current, status.next_phase, day, how)

    # Checked once without the lock, so a refusal touches nothing (not even the lock file),
    # and again under the lock in case another rugcoach wrote in between.
    advance(rt.diary())
    written = rt.update(advance)
    number = written["phases"][-1]["number"]
    say(t("phase.moved", phase=number, date=written["phases"][-1]["start"]))


@phase_app.command("set", help=t("help.phase.set"))
def phase_set(
    number: Annotated[int, typer.Argument(metavar="N", help=t("help.arg.phase"))],
    day_text: DateOption = None,
    force: Annotated[bool, typer.Option("--force", help=t("help.opt.phase_set_force"))] = False,
) -> None:
    from rugcoach.diary import edits as diaries

    day = past_day(day_text, today())
    rt = runtime()
    numbers = [p["number"] for p in rt.content()["phases"]["phases"]]
    if number not in numbers:
        raise UsageError(t("error.bad_phase", value=number, last=numbers[-1]))
    if rt.diary() is None:
        raise RugcoachError(t("error.no_diary"))

    def set_phase(current: Diary | None) -> Diary:
        if current is None:
            raise RugcoachError(t("error.no_diary"))
        later = [p for p in current["phases"] if p["start"] > day.isoformat()]
        if later and not force:
            # Undoing a later phase change is a therapist's call to make on purpose.
            records = ", ".join(t("phase.set.record", **p) for p in later)
            raise RugcoachError(
                t("phase.set.later", phase=number, date=day.isoformat(), records=records)
            )
        return diaries.start_phase(current, number, day, "set")

    set_phase(rt.diary())  # a refusal touches nothing, not even the lock file
    rt.update(set_phase)
    say(t("phase.moved", phase=number, date=day.isoformat()))
