"""`rugcoach summary`: progress in the terminal, or as JSON (SPEC §3)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated

import typer

from rugcoach.cli import JsonOption, app, runtime, today
from rugcoach.errors import UsageError
from rugcoach.i18n import current, t
from rugcoach.render import emit_json, say

DEFAULT_WEEKS = 8
MAX_WEEKS = 520  # ten years


def check_weeks(value: str | None) -> int:
    """`--weeks` as a whole number from 1 to MAX_WEEKS, else a usage error (exit 2)."""
    if value is None:
        return DEFAULT_WEEKS
    text = value.strip()
    if re.fullmatch(r"\+?[0-9]{1,9}", text, re.ASCII) and 1 <= int(text) <= MAX_WEEKS:
        return int(text)
    shown = value if value.strip() else "''"
    raise UsageError(t("summary.bad_weeks", value=shown, most=MAX_WEEKS))


@app.command("summary", help=t("summary.help"))
def summary(
    weeks: Annotated[
        str | None,
        typer.Option(
            "--weeks",
            metavar="N",
            help=t("summary.help.weeks", default=DEFAULT_WEEKS, most=MAX_WEEKS),
            show_default=False,
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    from rugcoach import activities, report, report_activities, report_feedback, report_format
    from rugcoach.diary import entries_between

    count = check_weeks(weeks)
    now = today()
    rt = runtime()
    content, diary = rt.content(), rt.diary()
    first = now - timedelta(days=7 * count - 1)
    progress = report.build(content, diary, first, now, now)
    # The patient-specific activities (SPEC §9): their scores in the period, and the change.
    found = report_activities.items(diary, first, now)
    # How the exercises felt (SPEC §11), over the same period.
    felt = report_feedback.felt(entries_between(diary, first, now) if diary else [], content)
    if as_json:
        emit_json(
            {
                "generated": now.isoformat(),
                "language": current(),
                "weeks_asked": count,
                **report_format.progress_json(progress, current()),
                "activities": [activities.progress_json(item) for item in found],
                "feedback": report_feedback.as_json(felt),
            }
        )
    else:
        from rugcoach import render_summary

        render_summary.show(progress, count)
        report_activities.show(found)
        report_feedback.show(felt)
    if diary is None:
        say(t("diary.none_yet"))
