"""The diary's entries: list them (`history`), and take one back (`undo`, `delete`).

Each command checks its input completely before it touches the diary, so a refused command
leaves every file as it was (SPEC §3).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

from rugcoach.cli.checks import shown, whole
from rugcoach.cli.prompts import normalise
from rugcoach.cli.runtime import required, runtime
from rugcoach.cli.shell import JsonOption, app, did_you_mean, today
from rugcoach.dates import parse_day
from rugcoach.errors import RugcoachError, UsageError
from rugcoach.i18n import t
from rugcoach.term.output import say

if TYPE_CHECKING:
    from rugcoach.schema import Content, Diary


@app.command("history", help=t("help.history"))
def history(
    first: Annotated[
        str | None, typer.Option("--from", metavar="DATE", help=t("help.opt.from"))
    ] = None,
    last: Annotated[str | None, typer.Option("--to", metavar="DATE", help=t("help.opt.to"))] = None,
    count: Annotated[
        str | None, typer.Option("-n", "--count", metavar="N", help=t("history.opt.count"))
    ] = None,
    search: Annotated[
        str | None, typer.Option("--search", metavar="TEXT", help=t("history.opt.search"))
    ] = None,
    as_json: JsonOption = False,
) -> None:
    from rugcoach.diary import edits as diaries
    from rugcoach.term import output as render
    from rugcoach.term.history import history_table

    now = today()
    lo = parse_day(first, now, "--from") if first else None
    hi = parse_day(last, now, "--to") if last else None
    wanted = _history_count(count)
    if search is not None and not normalise(search):
        raise UsageError(t("history.bad_search"))
    rt = runtime()
    current = rt.diary()
    entries = diaries.entries_between(current, lo, hi) if current else []
    if search is not None and entries:
        from rugcoach.diary import search as entry_search

        entries = entry_search.search(entries, search, rt.content())
    if wanted is not None:
        entries = entries[-wanted:]
    if as_json:
        render.emit_json([diaries.entry_json(e) for e in entries])
        return
    if current is None:
        say(t("diary.none_yet"))
        return
    history_table(entries)
    _history_clearances(rt.content(), current, lo, hi)
    rt.report_conflicts()


def _history_clearances(content: Content, diary: Diary, lo: date | None, hi: date | None) -> None:
    """The warnings recorded as seen to in the period (SPEC §10), after the entries."""
    from rich.markup import escape

    from rugcoach.reports import format as report_format
    from rugcoach.reports.progress import clearances
    from rugcoach.term.output import console

    found = clearances(content, diary, lo, hi)
    if found:
        out = console()
        out.print()
        out.print(f"[bold]{escape(t('history.cleared'))}[/bold]")
        for item in found:
            out.print(f" • {escape(report_format.cleared_line(item))}")


def _history_count(value: str | None) -> int | None:
    number = whole(value)
    if number is None:
        return None
    if not isinstance(number, int) or number < 1:
        raise UsageError(t("history.bad_count", value=shown(value)))
    return number


# ------------------------------------------------------------------------- undo, delete


@app.command("undo", help=t("help.undo"))
def undo() -> None:
    rt = runtime()
    current = rt.diary()
    if current is None or not current["entries"]:
        raise RugcoachError(t("undo.nothing"))
    _remove(rt, current["entries"][-1]["id"])


@app.command("delete", help=t("help.delete"))
def delete(
    entry_id: Annotated[str, typer.Argument(metavar="ENTRY_ID", help=t("help.arg.entry"))],
) -> None:
    from rugcoach.diary import edits as diaries

    rt = runtime()
    current = rt.diary()
    if current is None or diaries.find_entry(current, entry_id) is None:
        ids = [e["id"] for e in current["entries"]] if current else []
        hint = did_you_mean(entry_id, ids, show_all=False)
        raise UsageError(f"{t('delete.unknown', id=entry_id)} {hint}".rstrip())
    _remove(rt, entry_id)


def _remove(rt: Any, entry_id: str) -> None:
    from rugcoach.diary import edits as diaries
    from rugcoach.term import output as render

    def drop(current: Diary | None) -> Diary:
        diary = required(current)
        if diaries.find_entry(diary, entry_id) is None:
            raise RugcoachError(t("delete.gone", id=entry_id))
        return diaries.remove_entry(diary, entry_id)

    before = diaries.find_entry(required(rt.diary()), entry_id)
    rt.update(drop, removing=[entry_id])
    backup = rt.store().newest_valid_backup()
    say(
        t(
            "delete.done",
            id=entry_id,
            entry=render.entry_line(before) if before else "",
            backup=str(backup),
        )
    )
    if backup is not None:
        # Importing that backup merges the entry back by its id (the others are there).
        import shlex

        say(t("undo.restore", command=f"rugcoach import {shlex.quote(str(backup))}"))
