"""`export --format ics`: an iCalendar file (RFC 5545) with one event a day (SPEC §9).

Each event holds that day's plan (`coach.plan` for the date: deterministic, so exporting again
gives the same events) at a fixed local time, with a reminder, so that a phone calendar says
when to exercise. Times are floating (no time zone): 08:00 stays 08:00 wherever the phone is.
The UID of an event is derived from its date only, so importing a newer export updates the
days instead of doubling them.

The file is written by the `icalendar` package (CRLF line ends, lines folded at 75 octets,
text escaped), imported here only.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import TYPE_CHECKING

from rugcoach import __version__
from rugcoach.doses import dose_text
from rugcoach.i18n import current, pick, t

if TYPE_CHECKING:
    from rugcoach.coach.plan import Plan
    from rugcoach.reports.report import Report
    from rugcoach.schema import Content

DEFAULT_WEEKS = 4
MAX_WEEKS = 26
DEFAULT_TIME = "08:00"
MIN_EVENT_MINUTES = 10
UID_DOMAIN = "rugcoach.invalid"  # RFC 2606: a domain that is never anyone's


def days(report: Report, weeks: int) -> list[date]:
    """The days of the calendar: `weeks` weeks from --from (else today), ending at --to."""
    first = report.first or report.generated
    last = first + timedelta(days=7 * weeks - 1)
    if report.last is not None and report.last < last:
        last = report.last
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def uid(day: date) -> str:
    return f"{day.isoformat()}-daily@{UID_DOMAIN}"


def summary(plan: Plan) -> str:
    if plan.load == "paused":
        return t("ics.summary_paused")
    minutes = sum(item.minutes for item in plan.routine)
    return t("ics.summary", minutes=minutes, walk=plan.walk_minutes_goal)


def description(plan: Plan, content: Content) -> str:
    """The day's plan as plain text: phase, exercises with their dose, walking goal."""
    status = plan.phase
    lines = [t("ics.phase", number=status.number, name=pick(status.phase["name"]))]
    if plan.load == "paused":
        from rugcoach.coach import alert_text

        urgent = [a for a in plan.warnings if a.level == "urgent"]
        lines += ["", alert_text.message(urgent[0]) if urgent else t("coach.load.paused")]
        return "\n".join(lines)
    minutes = sum(item.minutes for item in plan.routine)
    lines += ["", t("ics.exercises", minutes=minutes)]
    for item in plan.routine:
        mark = " *" if item.reduced else ""
        lines.append(f"- {pick(item.exercise['name'])}{mark}: {dose_text(item.dose)}")
    if any(item.reduced for item in plan.routine):
        lines.append(t("today.reduced_mark"))
    lines += ["", t("ics.walk", minutes=plan.walk_minutes_goal), "", t("ics.session")]
    lines += ["", pick(content["coaching"]["disclaimer"])]
    return "\n".join(lines)


def render(
    report: Report,
    *,
    weeks: int = DEFAULT_WEEKS,
    at: str = DEFAULT_TIME,
    stamp: datetime | None = None,
) -> str:
    """The calendar as text (CRLF line ends). `at` is HH:MM; `stamp` (UTC) is DTSTAMP, by
    default midnight UTC of the report's date, so the same export gives the same file."""
    from icalendar import Alarm, Calendar, Event

    from rugcoach.coach import plan as coach

    hour, minute = (int(part) for part in at.split(":"))
    when = time(hour, minute)
    dtstamp = stamp or datetime.combine(report.generated, time(0), tzinfo=timezone.utc)
    cal = Calendar()
    cal.add("prodid", f"-//rugcoach//rugcoach {__version__}//{current().upper()}")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", t("ics.calendar_name"))
    for day in days(report, weeks):
        plan = coach.plan(report.content, report.diary, day, report.programme)
        start = datetime.combine(day, when)  # floating local time
        minutes = max(sum(item.minutes for item in plan.routine), MIN_EVENT_MINUTES)
        event = Event()
        event.add("uid", uid(day))
        event.add("dtstamp", dtstamp)
        event.add("sequence", 0)
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(minutes=minutes))
        event.add("summary", summary(plan))
        event.add("description", description(plan, report.content))
        event.add("transp", "TRANSPARENT")  # a reminder, not a busy slot
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary(plan))
        alarm.add("trigger", timedelta(0))
        event.add_component(alarm)
        cal.add_component(event)
    text: str = cal.to_ical().decode("utf-8")
    return text
