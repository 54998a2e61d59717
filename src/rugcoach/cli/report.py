"""`rugcoach summary`: progress in the terminal, or as JSON (SPEC §3)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated

import typer

from rugcoach.cli.runtime import runtime
from rugcoach.cli.shell import JsonOption, app, today
from rugcoach.errors import UsageError
from rugcoach.i18n import current, t
from rugcoach.term.output import emit_json, say

MAX_WEEKS = 520  # ten years


def check_weeks(value: str | None) -> int | None:
    """`--weeks` as a whole number from 1 to MAX_WEEKS (None: the whole diary), else a
    usage error (exit 2)."""
    if value is None:
        return None
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
            help=t("summary.help.weeks_narrow", most=MAX_WEEKS),
            show_default=False,
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    from rugcoach.coach import activities
    from rugcoach.diary.edits import entries_between
    from rugcoach.programme import prescription as programme
    from rugcoach.reports import activities as report_activities
    from rugcoach.reports import feedback as report_feedback
    from rugcoach.reports import format as report_format
    from rugcoach.reports import programme as rp
    from rugcoach.reports import progress as report

    count = check_weeks(weeks)
    now = today()
    rt = runtime()
    content, diary = rt.content(), rt.diary()
    # The whole diary unless --weeks narrows it: the same period, and so the same figures,
    # as `export` without --from / --to (or with --from that day --to today).
    first, last = (None, None) if count is None else (now - timedelta(days=7 * count - 1), now)
    progress = report.build(content, diary, first, last, now)
    # The patient-specific activities (SPEC §9): their scores in the period, and the change.
    found = report_activities.items(diary, first, last)
    prescribed = programme.load(content)
    adherence = rp.build(prescribed, content, diary, first, now, now) if prescribed else None
    # How the exercises felt (SPEC §11), over the same period.
    felt = report_feedback.felt(entries_between(diary, first, last) if diary else [], content)
    if as_json:
        emit_json(
            {
                "generated": now.isoformat(),
                "language": current(),
                "weeks_asked": count,
                **report_format.progress_json(progress, current()),
                "activities": [activities.progress_json(item) for item in found],
                "programme": rp.to_json(adherence),
                "feedback": report_feedback.as_json(felt),
            }
        )
    else:
        from rugcoach.term import summary as render_summary

        render_summary.show(progress, count)
        render_summary.activities_section(found)
        render_summary.programme_section(adherence, content)
        render_summary.feedback_section(felt)
    if diary is None:
        say(t("diary.none_yet"))
