"""`rugcoach edit ENTRY_ID`: change fields of one entry (SPEC §15).

Every option of `log` is accepted, with the checks `log` uses (`checks.check_measures`);
`--clear-FIELD` empties a field. A list option (`--done`, `--symptom`) replaces the list.
Everything is checked before the diary is touched, so a refused edit changes no file; the
save keeps the diary as it was in the store's rotating backups, so the old version of the
entry can be brought back.
"""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING, Annotated, Any

import typer

from rugcoach.cli import completers
from rugcoach.cli.checks import check_measures, split_ids
from rugcoach.cli.runtime import runtime
from rugcoach.cli.shell import (
    ExercisePainOption,
    NoteOption,
    PainOption,
    StiffnessOption,
    TimeOption,
    WalkOption,
    app,
    did_you_mean,
    local_offset,
    today,
)
from rugcoach.dates import parse_time, past_day
from rugcoach.errors import RugcoachError, UsageError
from rugcoach.i18n import t
from rugcoach.term.output import say

if TYPE_CHECKING:
    from rugcoach.schema import Diary, Entry

# field -> (its option, its --clear option); in the order of `log`'s options.
FIELDS = {
    "time": ("--time", "--clear-time"),
    "pain": ("--pain", "--clear-pain"),
    "exercise_pain": ("--exercise-pain", "--clear-exercise-pain"),
    "stiffness_minutes": ("--stiffness", "--clear-stiffness"),
    "walk_minutes": ("--walk", "--clear-walk"),
    "done": ("--done", "--clear-done"),
    "symptoms": ("--symptom", "--clear-symptoms"),
    "note": ("--note", "--clear-note"),
}
_LISTS = ("done", "symptoms")


def _clear(field: str) -> Any:
    return typer.Option(FIELDS[field][1], help=t("edit.opt.clear", option=FIELDS[field][0]))


@app.command("edit", help=t("edit.help"))
def edit(
    entry_id: Annotated[
        str,
        typer.Argument(
            metavar="ENTRY_ID", help=t("help.arg.entry"), autocompletion=completers.entry_ids
        ),
    ],
    day_text: Annotated[
        str | None, typer.Option("--date", metavar="DATE", help=t("edit.opt.date"))
    ] = None,
    time_text: TimeOption = None,
    pain: PainOption = None,
    exercise_pain: ExercisePainOption = None,
    stiffness: StiffnessOption = None,
    walk: WalkOption = None,
    done: Annotated[
        list[str] | None,
        typer.Option(
            "--done",
            metavar="ID",
            help=t("edit.opt.done"),
            autocompletion=completers.exercise_ids,
        ),
    ] = None,
    symptom: Annotated[
        list[str] | None,
        typer.Option(
            "--symptom",
            metavar="ID",
            help=t("edit.opt.symptom"),
            autocompletion=completers.symptom_ids,
        ),
    ] = None,
    note: NoteOption = None,
    clear_time: Annotated[bool, _clear("time")] = False,
    clear_pain: Annotated[bool, _clear("pain")] = False,
    clear_exercise_pain: Annotated[bool, _clear("exercise_pain")] = False,
    clear_stiffness: Annotated[bool, _clear("stiffness_minutes")] = False,
    clear_walk: Annotated[bool, _clear("walk_minutes")] = False,
    clear_done: Annotated[bool, _clear("done")] = False,
    clear_symptoms: Annotated[bool, _clear("symptoms")] = False,
    clear_note: Annotated[bool, _clear("note")] = False,
) -> None:
    from rugcoach.diary import edits as diaries
    from rugcoach.term import output as render

    typed: dict[str, Any] = {
        "time": time_text,
        "pain": pain,
        "exercise_pain": exercise_pain,
        "stiffness_minutes": stiffness,
        "walk_minutes": walk,
        "done": done,
        "symptoms": symptom,
        "note": note,
    }
    clears = {
        "time": clear_time,
        "pain": clear_pain,
        "exercise_pain": clear_exercise_pain,
        "stiffness_minutes": clear_stiffness,
        "walk_minutes": clear_walk,
        "done": clear_done,
        "symptoms": clear_symptoms,
        "note": clear_note,
    }
    for field, value in typed.items():
        if value is not None and clears[field]:
            option, clear = FIELDS[field]
            raise UsageError(t("edit.both", option=option, clear=clear))
    given = {k: v for k, v in typed.items() if v is not None}
    if day_text is None and not given and not any(clears.values()):
        raise UsageError(t("edit.nothing", id=entry_id))

    rt = runtime()
    current = rt.diary()
    old = diaries.find_entry(current, entry_id) if current is not None else None
    if current is None or old is None:
        ids = [e["id"] for e in current["entries"]] if current else []
        hint = did_you_mean(entry_id, ids, show_all=False)
        raise UsageError(f"{t('edit.unknown', id=entry_id)} {hint}".rstrip())

    changes = _changes(rt.content(), old, day_text, given, clears)
    new: Entry = {**old, **changes}  # type: ignore[typeddict-item]
    if not any(new[k] not in (None, [], "") for k in diaries.MEASURES):  # type: ignore[literal-required]
        raise UsageError(t("edit.empty", id=entry_id))
    if new == old:
        say(t("edit.unchanged", id=entry_id))
        return

    def replace(diary: Diary | None) -> Diary:
        if diary is None or diaries.find_entry(diary, entry_id) is None:
            raise RugcoachError(t("delete.gone", id=entry_id))
        return diaries.replace_entry(diary, new)

    saved = rt.update(replace)
    backup = rt.store().newest_valid_backup()
    say(t("edit.done", id=entry_id, before=render.entry_line(old), after=render.entry_line(new)))
    if backup is not None:
        restore = (
            f"rugcoach delete {shlex.quote(entry_id)} && rugcoach import {shlex.quote(str(backup))}"
        )
        say(t("edit.backup", backup=str(backup), command=restore))
    # A sign the edit adds is answered at once, as `log` does (SPEC §10).
    added = [s for s in new["symptoms"] if s not in old["symptoms"]]
    if added:
        from datetime import date

        from rugcoach.cli.diary import answer_warnings

        day = date.fromisoformat(new["date"])
        answer_warnings(rt.content(), saved, {**new, "symptoms": added}, day)
    rt.report_conflicts()


def _changes(
    content: Any,
    old: Entry,
    day_text: str | None,
    given: dict[str, Any],
    clears: dict[str, bool],
) -> dict[str, Any]:
    """The new values of the fields the command line names, checked as `log` checks them."""
    changes: dict[str, Any] = {}
    if day_text is not None:
        changes["date"] = past_day(day_text, today()).isoformat()
    if "time" in given:
        changes["time"] = parse_time(given["time"])
    measures = {k: v for k, v in given.items() if k != "time"}
    for field in _LISTS:
        if field in measures:
            # Order kept, repeats dropped, as `log` stores them.
            measures[field] = split_ids(measures[field])
    checked = check_measures(measures, content)
    if checked.get("note") == "":
        checked["note"] = None  # `--note ''` empties the note, like --clear-note
    for field in _LISTS:
        if field in checked:
            checked[field] = list(dict.fromkeys(checked[field]))
    changes.update(checked)
    for field, cleared in clears.items():
        if cleared:
            changes[field] = [] if field in _LISTS else None
    time = changes.get("time", old["time"])
    when = changes.get("date", old["date"])
    if (when, time) != (old["date"], old["time"]):
        # The offset belongs to the moment: it follows a new date or time (and an entry
        # that keeps its moment keeps the offset it was logged with).
        from datetime import date

        changes["utc_offset"] = local_offset(date.fromisoformat(when), time) if time else None
    return changes
