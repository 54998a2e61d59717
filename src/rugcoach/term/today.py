"""The day's plan in the terminal, drawn without Rich.

Why not Rich here: `rugcoach today` runs every day, often from a shell start-up, and SPEC §8
gives it 100 ms. Importing Rich's console costs 30-40 ms on its own (markup, emoji tables,
themes) and typer another ~45 ms; the plan is one fixed layout, which this module draws in
about a millisecond. The look matches the Rich views of the other commands: warnings
first in boxes whose title says how serious, then the phase, a table, and short sections,
on a `term.canvas.Canvas` (styled only on a terminal).
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from rugcoach.coach import alert_text
from rugcoach.doses import dose_text
from rugcoach.i18n import pick, t
from rugcoach.safe_text import clean
from rugcoach.term.canvas import Canvas, screen

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date

    from rugcoach.coach.alerts import Alert
    from rugcoach.coach.plan import Plan
    from rugcoach.schema import Content

# An urgent day fits one screen: at most this many lines at 80 columns (SPEC §10).
URGENT_SCREEN_LINES = 20


def warnings_box(canvas: Canvas, alerts: Sequence[Alert], quiet_days: int) -> None:
    for alert in alerts:
        body = alert_text.paragraphs(alert, quiet_days)
        canvas.box(t("level." + alert.level), body, alert.level, alert.id)


def urgent_text(plan: Plan, content: Content, now: date | None = None) -> str:
    """An urgent day shows only what to do: the urgent warning(s), any others after them,
    that the plan is paused, and how to clear it once a doctor has seen the person —
    nothing else, and on one screen. Each layout is tried in turn, fullest first, until
    one fits."""
    for layout in (_urgent_full, _urgent_compact, _urgent_minimal):
        canvas = screen()
        layout(canvas, plan, content, now)
        if len(canvas.lines) <= URGENT_SCREEN_LINES:
            break
    return canvas.text()


def _urgent_parts(plan: Plan) -> tuple[list[Alert], list[Alert]]:
    urgent = [a for a in plan.warnings if a.level == "urgent"]
    return urgent, [a for a in plan.warnings if a.level != "urgent"]


def _heading(canvas: Canvas, plan: Plan, now: date | None) -> None:
    """Titled honestly: "Today", "Yesterday", "Tomorrow" or "Plan for" the date (SPEC §15)."""
    word = day_word(plan.date, now)
    heading = "today.heading" if word == "today" else f"today.heading.{word}"
    canvas.add(canvas.style(t(heading, date=plan.date.isoformat()), "bold"))


def _others(canvas: Canvas, others: Sequence[Alert], *, one_line: bool) -> None:
    if not others:
        return
    items = [
        f"{t('level.short.' + a.level)}: {alert_text.label(a)} ({t('warning.when.' + a.when)})"
        for a in others
    ]
    if one_line:
        canvas.para("; ".join(items), t("today.also"))
        return
    canvas.add(canvas.style(t("today.also"), "bold"))
    for item in items:
        canvas.para(item, "•", style="bold")


def _urgent_full(canvas: Canvas, plan: Plan, content: Content, now: date | None) -> None:
    urgent, others = _urgent_parts(plan)
    _heading(canvas, plan, now)
    warnings_box(canvas, urgent, _quiet_days(content))
    _others(canvas, others, one_line=False)
    canvas.para(t("today.urgent_do"), emphasis=True)


def _urgent_compact(canvas: Canvas, plan: Plan, content: Content, now: date | None) -> None:
    """Several urgent signs: their names, then the shared advice once (every urgent message
    says the same thing to do), then how to clear each."""
    urgent, others = _urgent_parts(plan)
    _heading(canvas, plan, now)
    body = [f"• {alert_text.label(a)}" for a in urgent]
    body.append(alert_text.message(urgent[0]))
    body.append(alert_text.clear_many(urgent))
    canvas.box(t("level.urgent"), body, "urgent", ", ".join(a.id for a in urgent))
    _others(canvas, others, one_line=False)
    canvas.para(t("today.urgent_do"), emphasis=True)


def _urgent_minimal(canvas: Canvas, plan: Plan, content: Content, now: date | None) -> None:
    urgent, others = _urgent_parts(plan)
    _heading(canvas, plan, now)
    names = ", ".join(alert_text.label(a) for a in urgent)
    body = [names, alert_text.message(urgent[0]), alert_text.clear_many(urgent)]
    canvas.box(t("level.urgent"), body, "urgent", "")
    _others(canvas, others, one_line=True)


def _quiet_days(content: Content) -> int:
    return content["phases"]["rules"]["quiet_days"]


def routine_table(canvas: Canvas, plan: Plan) -> None:
    rows = [
        (
            clean(pick(item.exercise["name"])) + (" *" if item.reduced else ""),
            dose_text(item.dose),
            str(item.minutes),
            clean(item.exercise["id"]),
        )
        for item in plan.routine
    ]
    head = (t("col.name"), t("col.dose"), t("col.minutes"), t("col.id"))
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(4)]
    gap = "  "
    # The name column takes what the others leave and wraps when it has to; on a narrow
    # terminal the id column (for `log --done`) gives way first.
    columns = 4 if canvas.width - 2 - sum(widths[1:]) - 3 * len(gap) >= 14 else 3
    room = canvas.width - 2 - sum(widths[1:columns]) - (columns - 1) * len(gap)
    widths[0] = max(8, min(widths[0], room))

    def line(cells: tuple[str, ...], style: str | None = None) -> str:
        name, dose, minutes, ex_id = cells
        out = [name.ljust(widths[0]), dose.ljust(widths[1]), minutes.rjust(widths[2])]
        if columns == 4:
            out.append(canvas.style(ex_id, "dim") if style is None else ex_id)
        text = gap.join(out).rstrip()
        return "  " + (canvas.style(text, style) if style else text)

    canvas.add(line(head, "bold"))
    canvas.add("  " + gap.join("─" * w for w in widths[:columns]))
    for name, dose, minutes, ex_id in rows:
        parts = textwrap.wrap(name, widths[0], break_on_hyphens=False) or [""]
        canvas.add(line((parts[0], dose, minutes, ex_id)))
        for rest in parts[1:]:
            canvas.add("  " + rest)
        if columns == 3:
            canvas.add("    " + canvas.style(ex_id, "dim"))


def programme_lines(canvas: Canvas, plan: Plan) -> None:
    """The therapist's programme: whose it is, today's prescribed exercises and their notes,
    and from the review date on a reminder to see the therapist (SPEC §12)."""
    from rugcoach.coach.prescribed import review_due
    from rugcoach.i18n import current
    from rugcoach.programme import prescription as programmes

    prog = plan.programme
    assert prog is not None
    canvas.para(programmes.label(prog), emphasis=True)
    if review_due(prog, plan.date):
        canvas.para(t("today.programme.review_due", date=str(prog["review"])))
    if not plan.routine:
        canvas.para(t("today.programme.rest"))
        return
    minutes = sum(item.minutes for item in plan.routine)
    canvas.para(t("today.programme.routine", minutes=minutes))
    routine_table(canvas, plan)
    for item in plan.routine:
        note = programmes.note_text(item.note, current())
        if note:
            canvas.para(" ".join(note.split()), "  " + pick(item.exercise["name"]) + ":", "dim")


def day_word(day: date, now: date | None) -> str:
    """'today', 'yesterday', 'tomorrow' or 'other': how a plan's date may be titled, so a
    plan asked for `gisteren` is never headed "Vandaag" (SPEC §15)."""
    gap = 0 if now is None else (now - day).days
    return {0: "today", 1: "yesterday", -1: "tomorrow"}.get(gap, "other")


def today_text(
    plan: Plan, content: Content, *, activities_due: bool = False, now: date | None = None
) -> str:
    """The day's plan; `now` is the real date (by default the plan's own), for its title."""
    if plan.load == "paused":
        return urgent_text(plan, content, now)
    canvas = screen()
    warnings_box(canvas, plan.warnings, _quiet_days(content))
    status = plan.phase
    _heading(canvas, plan, now)
    canvas.para(
        t(
            "today.phase",
            number=status.number,
            name=pick(status.phase["name"]),
            day=status.day,
            duration=pick(status.phase["typical_duration"]),
        )
    )
    if status.ready and status.next_phase:
        canvas.add(canvas.style(t("coach.ready", next=status.next_phase), "green"))
    from rugcoach.term.plan import week_lines

    for line in week_lines(plan, content):
        canvas.para(line)
    canvas.add()
    if plan.load == "reduced":
        canvas.para(t("coach.load.reduced"))
        canvas.add()
    if plan.programme is not None:
        programme_lines(canvas, plan)
    else:
        minutes = sum(item.minutes for item in plan.routine)
        word = day_word(plan.date, now)
        routine_key = "today.routine" if word == "today" else "today.routine.other"
        canvas.para(t(routine_key, minutes=minutes), emphasis=True)
        routine_table(canvas, plan)
    if any(item.reduced for item in plan.routine):
        canvas.add(t("today.reduced_mark"))
    canvas.add()
    canvas.para(t("today.walk", minutes=plan.walk_minutes_goal), t("today.walk_label"))

    names = {ex["id"]: pick(ex["name"]) for ex in content["exercises"]["exercises"]}
    routines = content["coaching"]["daily_routines"]
    for part, ids in plan.daily_routines.items():
        advice = " ".join(pick(a) for a in routines[part]["advice"])  # type: ignore[literal-required]
        listed = ", ".join(names.get(i, i) for i in ids)
        canvas.para(f"{listed}. {advice}".strip(), t("today." + part))
    canvas.add()
    if plan.tip is not None:
        canvas.para(pick(plan.tip["text"]), t("today.tip"))
    if activities_due:
        canvas.add()
        canvas.para(t("today.activities_due"))
    canvas.add()
    for line in textwrap.wrap(t("today.log_hint"), canvas.width, break_on_hyphens=False):
        canvas.add(canvas.style(line, "dim"))
    return canvas.text()
