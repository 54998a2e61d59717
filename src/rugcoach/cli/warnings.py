"""Commands about warning signs: `symptoms` lists them, `cleared` records that one has been
seen to (SPEC §10)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from rugcoach.cli.checks import check_note
from rugcoach.cli.runtime import required, runtime
from rugcoach.cli.shell import JsonOption, app, clock_time, today
from rugcoach.dates import past_day
from rugcoach.errors import RugcoachError, UsageError
from rugcoach.i18n import pick, t
from rugcoach.safe_text import clean
from rugcoach.term.output import emit_json, say

if TYPE_CHECKING:
    from datetime import date

    from rugcoach.coach.alerts import Alert
    from rugcoach.schema import Content, Diary


@app.command("symptoms", help=t("help.symptoms"))
def symptoms(as_json: JsonOption = False) -> None:
    from rugcoach.content import signs

    content = runtime().content()
    listed = signs.ordered(content)
    if as_json:
        emit_json(
            [
                {
                    "id": s["id"],
                    "level": s["level"],
                    "when": s["when"],
                    "name": pick(s["name"]),
                    "description": pick(s["description"]),
                    "names": [pick(s["name"]), *pick(s["aliases"])],  # type: ignore[arg-type]
                    "aliases": signs.words_of(s)[1:],
                }
                for s in listed
            ]
        )
        return
    import textwrap

    from rugcoach.term.output import console

    out = console()
    width = max(40, out.width)

    def para(text: str, indent: str, style: str | None = None) -> None:
        for line in textwrap.wrap(
            text, width, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False
        ):
            out.print(line, style=style, markup=False, highlight=False, soft_wrap=True)

    level = None
    for symptom in listed:
        if symptom["level"] != level:
            level = symptom["level"]
            out.print()
            para(t("symptoms.heading." + level), "", "bold")
        para(f"{symptom['id']}: {pick(symptom['name'])}", "  ", "bold")
        para(pick(symptom["description"]), "    ")
        words = ", ".join(pick(symptom["aliases"]))  # type: ignore[arg-type]
        para(t("symptoms.words", words=words), "    ", "dim")
    out.print()
    para(t("symptoms.hint"), "")


@app.command("cleared", help=t("help.cleared"))
def cleared(
    warning: Annotated[str, typer.Argument(metavar="ID", help=t("help.arg.warning"))],
    day_text: Annotated[
        str | None,
        typer.Option("--date", metavar="DATE", help=t("help.opt.cleared_date"), show_default=False),
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", metavar="TEXT", help=t("help.opt.cleared_note"))
    ] = None,
) -> None:
    from datetime import timedelta

    from rugcoach.coach import alerts
    from rugcoach.coach import plan as coach_plan

    now = today()
    day = past_day(day_text, now)
    # Recorded the same day, the time tells a sign noted again after the visit from the
    # ones the doctor saw; a clearance for an earlier day covers that whole day.
    time = clock_time() if day == now else None
    note = check_note(note)
    rt = runtime()
    content = rt.content()
    diary = rt.diary()
    active = [a for a in coach_plan.evaluate(content, diary, day) if a.clearable]
    alert_id = _warning_id(warning, content, active, day)
    found = next((a for a in active if a.id == alert_id), None)
    if diary is None or found is None:
        raise RugcoachError(
            t("cleared.not_active", id=alert_id, date=day.isoformat(), active=_active(active, day))
        )

    def record(current: Diary | None) -> Diary:
        from rugcoach.diary import edits as diaries

        current = required(current)
        return diaries.add_clearance(current, alert_id, day, time, note)

    rt.update(record)
    quiet_days = content["phases"]["rules"]["quiet_days"]
    if alert_id == alerts.SCREENING:
        say(t("cleared.done_screening", date=day.isoformat()))
    elif found.level == "urgent":
        name = pick(found.name) if found.name else alert_id
        say(t("cleared.done_urgent", name=name, date=day.isoformat()))
    else:
        until = (day + timedelta(days=quiet_days - 1)).isoformat()
        say(t("cleared.done_quiet", id=alert_id, date=day.isoformat(), until=until))


def _warning_id(typed: str, content: Content, active: list[Alert], day: date) -> str:
    """The warning id for what was typed: a rule id, `screening`, or a sign in the
    person's words. Unknown: exit 2; a self-management (adjust) rule: exit 1."""
    from rugcoach.coach import alerts
    from rugcoach.content import signs
    from rugcoach.words import normalise

    key = normalise(typed)
    rules = {r["id"]: r for r in content["coaching"]["rule_warnings"]}
    if key in rules or key == alerts.SCREENING:
        if key not in alerts.CLEARABLE_RULES:
            raise RugcoachError(t("cleared.not_clearable", id=key))
        return key
    found = signs.match(typed, content)
    if found is not None and found.exact:
        return found.ids[0]
    raise UsageError(t("cleared.unknown", value=clean(typed), active=_active(active, day)))


def _active(active: list[Alert], day: date) -> str:
    if not active:
        return t("cleared.none_active", date=day.isoformat())
    return t("cleared.active_list", date=day.isoformat(), ids=", ".join(a.id for a in active))
