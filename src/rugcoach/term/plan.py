"""The day's plan and the phase status, as JSON (SPEC §5) and for a person in the terminal.

Warnings come first, in a panel whose title says how serious and whom to call, so it is
impossible to miss with or without colour.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rugcoach.i18n import current, pick, t
from rugcoach.term.output import bullet_line, console, dose_text

if TYPE_CHECKING:
    from rugcoach.coach.alerts import Alert
    from rugcoach.coach.phase import PhaseStatus, Reason
    from rugcoach.coach.plan import Plan
    from rugcoach.schema import Content

STYLE = {"urgent": "bold white on red", "consult": "bold black on yellow", "adjust": "bold"}
BORDER = {"urgent": "red", "consult": "yellow", "adjust": "blue"}


def reason_text(reason: Reason) -> str:
    return t(reason.key, **reason.params)


def phase_json(status: PhaseStatus) -> dict[str, Any]:
    return {
        "number": status.number,
        "name": pick(status.phase["name"]),
        "day": status.day,
        "week": status.week,
        "started": status.started.isoformat(),
        "typical_duration": pick(status.phase["typical_duration"]),
        "ready_to_advance": status.ready,
        "next": status.next_phase,
        "final": status.final,
        "overdue": status.overdue,
        "improving_longer": status.improving_longer,
        "reasons": [reason_text(r) for r in status.reasons],
    }


def alert_json(alert: Alert) -> dict[str, Any]:
    from rugcoach.coach import alert_text

    return alert_text.as_json(alert)


def plan_json(plan: Plan, content: Content, activities_due: bool = False) -> dict[str, Any]:
    names = {ex["id"]: pick(ex["name"]) for ex in content["exercises"]["exercises"]}
    return {
        "date": plan.date.isoformat(),
        "language": current(),
        "profile": plan.profile,
        "has_diary": plan.has_diary,
        "phase": phase_json(plan.phase),
        "load": plan.load,
        "routine": [
            {
                "id": item.exercise["id"],
                "name": pick(item.exercise["name"]),
                "category": item.exercise["category"],
                "dose": dose_text(item.dose),
                "minutes": item.minutes,
                "reduced": item.reduced,
                "step": item.step,
                "source": item.source,
                "note": programme_note(item.note),
            }
            for item in plan.routine
        ],
        "programme": programme_json(plan),
        # What changed in this programme week (SPEC §11), by exercise id.
        "week_changes": week_json(plan),
        "routine_minutes": sum(item.minutes for item in plan.routine),
        "walk_minutes_goal": plan.walk_minutes_goal,
        "daily_routines": {part: list(ids) for part, ids in plan.daily_routines.items()},
        "daily_routine_names": {
            part: [names.get(i, i) for i in ids] for part, ids in plan.daily_routines.items()
        },
        "tip": pick(plan.tip["text"]) if plan.tip is not None else None,
        "warnings": [alert_json(a) for a in plan.warnings],
        # Time to rate the patient-specific activities again (SPEC §9): once a week.
        "activities_due": activities_due,
    }


def programme_note(note: object) -> str | None:
    """The therapist's note in the person's language (SPEC §12)."""
    if note is None:
        return None
    from rugcoach.programme.prescription import note_text

    return note_text(note, current())


def programme_json(plan: Plan) -> dict[str, Any] | None:
    if plan.programme is None:
        return None
    from rugcoach.programme.prescription import summary_json

    return summary_json(plan.programme, plan.date)


def week_json(plan: Plan) -> dict[str, Any] | None:
    week = plan.week
    if week is None or plan.load == "paused":
        return None
    return {
        "added": list(week.added),
        "removed": list(week.removed),
        "harder": [{"was": was, "now": now} for was, now in week.harder],
        "extra_step": list(week.extra),
        "stepped_up": plan.stepped_up,
        "step": plan.step,
        "eased": list(plan.eased),
    }


def week_lines(plan: Plan, content: Content) -> list[str]:
    """What the person should know about this programme week, one sentence a line."""
    week = plan.week
    if week is None or plan.load == "paused":
        return []
    names = {ex["id"]: pick(ex["name"]) for ex in content["exercises"]["exercises"]}

    def listed(ids: Any) -> str:
        return ", ".join(names.get(i, i) for i in ids)

    lines = [t("today.week", week=week.number)]
    if week.number == 1:
        lines[0] += " " + t("today.week.first")
    harder_now = {now for _, now in week.harder}
    added = [i for i in week.added if i not in harder_now]
    harder_was = {was for was, _ in week.harder}
    removed = [i for i in week.removed if i not in harder_was]
    if week.number > 1 and added and removed:
        lines.append(t("today.week.swap", names=listed(added), removed=listed(removed)))
    elif week.number > 1 and added:
        lines.append(t("today.week.new", names=listed(added)))
    if week.harder:
        lines.append(t("today.week.harder", names=listed(now for _, now in week.harder)))
    if week.extra:
        lines.append(t("today.week.extra", names=listed(week.extra)))
    rule = content["phases"].get("progression")
    if rule is not None and rule["max_steps"] > 0 and week.number > 1:
        if plan.stepped_up:
            lines.append(t("today.week.stepped"))
        elif plan.step >= rule["max_steps"]:
            lines.append(t("today.week.top"))
        else:
            lines.append(t("today.week.held", days=rule["adjust_days"]))
    if plan.eased:
        lines.append(t("today.eased", names=listed(plan.eased)))
    return lines


def warnings_panel(alerts: tuple[Alert, ...] | list[Alert]) -> None:
    from rich.markup import escape
    from rich.panel import Panel

    from rugcoach.coach import alert_text

    out = console()
    for alert in alerts:
        title = f"[{STYLE[alert.level]}] {escape(alert_text.title(alert))} [/]"
        out.print(
            Panel(
                escape(alert_text.message(alert)),
                title=title,
                title_align="left",
                border_style=BORDER[alert.level],
                subtitle=alert.id,
                subtitle_align="right",
            )
        )


def phase_text(status: PhaseStatus, alerts: list[Alert]) -> None:
    from rich.markup import escape

    out = console()
    out.print(
        t(
            "today.phase",
            number=status.number,
            name=escape(pick(status.phase["name"])),
            day=status.day,
            duration=escape(pick(status.phase["typical_duration"])),
        )
    )
    out.print(escape(t("phase.started", date=status.started.isoformat())))
    if status.final:
        pass
    elif status.ready:
        out.print(f"[bold green]{t('coach.ready', next=status.next_phase)}[/bold green]")
    else:
        out.print(f"[bold]{t('coach.not_ready', next=status.next_phase)}[/bold]")
    for reason in status.reasons:
        mark = {True: "✓", False: "✗", None: "•"}[reason.met]
        bullet_line(out, f" {mark} ", reason_text(reason))
    readiness = status.phase["readiness"]
    if status.improving_longer and readiness is not None:
        bullet_line(out, "", t("phase.improving_longer", max_days=readiness["max_days"]))
    goals = status.phase["goals"]
    if goals:
        out.print(f"\n[bold]{t('phase.goals')}[/bold]")
        for goal in goals:
            bullet_line(out, " • ", pick(goal))
    if alerts:
        out.print()
        warnings_panel(alerts)
