"""Commands that coach: today's plan and the phase (status, next, set)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer
from typer.core import TyperGroup

from rugcoach.cli.runtime import required, runtime
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


@app.command("today", help=t("help.today"))
def today_(day_text: DateOption = None, as_json: JsonOption = False) -> None:
    import sys

    from rugcoach.coach import activities, window
    from rugcoach.coach import plan as coach
    from rugcoach.coach import prescribed as rules
    from rugcoach.programme import prescription as programmes

    day = _day(day_text)
    rt = runtime()
    content = rt.content()
    prescribed = programmes.load(content)
    since = rules.start(prescribed) if prescribed is not None else None
    diary = rt.diary_window(window.for_day(content, day, since))
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
        current = required(current)
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
    required(rt.diary())

    def set_phase(current: Diary | None) -> Diary:
        current = required(current)
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
