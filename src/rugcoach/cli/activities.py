"""`rugcoach activities`: the patient-specific activities (PSK / PSFS) and their scores (SPEC §9).

Input is checked completely before the diary is touched; the diary is written only through
`Store.update`, with a change that is a pure function of the diary it gets.
"""

from __future__ import annotations

import sys
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from rugcoach.cli.prompts import interactive as _interactive  # (tests replace this one)
from rugcoach.cli.runtime import required, runtime
from rugcoach.cli.shell import DateOption, JsonOption, app, did_you_mean, today
from rugcoach.dates import past_day
from rugcoach.errors import RugcoachError, UsageError
from rugcoach.i18n import t
from rugcoach.term.output import say

if TYPE_CHECKING:
    from rugcoach.schema import Diary

activities_app = typer.Typer(cls=TyperGroup, help=t("help.activities"))
app.add_typer(activities_app, name="activities")


@activities_app.callback(invoke_without_command=True)
def activities_list(ctx: typer.Context, as_json: JsonOption = False) -> None:
    if ctx.invoked_subcommand is not None:
        return
    from rugcoach.coach import activities
    from rugcoach.term.output import emit_json

    diary = runtime().diary()
    items = activities.progress(diary)
    if as_json:
        emit_json([activities.progress_json(item) for item in items])
        return
    if not items:
        say(t("activities.none"))
        return
    _table(items)
    if activities.rating_due(diary, today()):
        say(t("activities.due"))


def _table(items: list[Any]) -> None:
    """The activities with their scores; at 60 columns the names go under their figures
    rather than a column being dropped (SPEC §15)."""
    import textwrap

    from rugcoach.term.canvas import screen
    from rugcoach.term.columns import table

    canvas = screen()
    canvas.lines.extend(
        canvas.style(line, "bold")
        for line in textwrap.wrap(t("activities.title"), canvas.width, break_on_hyphens=False)
    )
    heads = [
        t("activities.col.id"),
        t("activities.col.name"),
        t("activities.col.first"),
        t("activities.col.latest"),
        t("activities.col.change"),
    ]
    rows = [
        [
            item.id,
            item.name,
            _score(item.first),
            _score(item.latest) if len(item.scores) > 1 else "",
            change_text(item),
        ]
        for item in items
    ]
    canvas.lines.extend(table(heads, rows, canvas.width, wrap=frozenset({1})))
    canvas.add()
    canvas.lines.extend(textwrap.wrap(t("activities.scale"), canvas.width, break_on_hyphens=False))
    sys.stdout.write(canvas.text())


def _score(score: Any) -> str:
    return f"{score['score']} ({score['date']})" if score else t("activities.not_rated")


def change_text(item: Any) -> str:
    """'+3 (better)', '-1 (about the same)', '' before a second rating."""
    if item.change is None:
        return ""
    return f"{item.change:+d} ({t('activities.direction.' + item.direction)})"


# ------------------------------------------------------------------------------------ add


@activities_app.command("add", help=t("help.activities.add"))
def activities_add(
    name: Annotated[str, typer.Argument(metavar="TEXT", help=t("help.arg.activity"))],
) -> None:
    from rugcoach.cli.checks import check_text
    from rugcoach.coach import activities
    from rugcoach.diary import edits as diaries
    from rugcoach.diary import store as storage

    text = " ".join(check_text(name, "TEXT").split())
    if not text:
        raise UsageError(t("activities.empty_name"))
    if len(text) > activities.MAX_NAME:
        raise UsageError(t("activities.name_too_long", most=activities.MAX_NAME, length=len(text)))
    day = today()
    rt = runtime()
    made: dict[str, str] = {}

    def add(current: Diary | None) -> Diary:
        base = current or diaries.new_diary(start=day, version=storage.VERSION)
        same = activities.find_by_name(base, text)
        if same is not None:
            raise RugcoachError(t("activities.exists", id=same["id"], name=same["name"]))
        if len(activities.activities_of(base)) >= activities.MAX_ACTIVITIES:
            raise RugcoachError(t("activities.full", most=activities.MAX_ACTIVITIES))
        new = activities.add(base, text, day)
        made["id"] = new["activities"][-1]["id"]
        return new

    # Checked once without the lock, so a refusal touches nothing (not even the lock file).
    add(rt.diary())
    created = not rt.store().exists()
    rt.update(add)
    if created:
        say(t("log.created", file=str(rt.store().path), start=day.isoformat()))
    say(t("activities.added", id=made["id"], name=text))


# ----------------------------------------------------------------------------------- rate


@activities_app.command("rate", help=t("help.activities.rate"))
def activities_rate(
    scores: Annotated[
        list[str] | None,
        typer.Option("--score", metavar="ID=N", help=t("help.opt.activity_score")),
    ] = None,
    day_text: DateOption = None,
) -> None:
    from rugcoach.coach import activities

    now = today()
    day = past_day(day_text, now)
    rt = runtime()
    diary = rt.diary()
    known = activities.activities_of(diary)
    if scores:
        given = parse_scores(scores, [a["id"] for a in known])
    elif _interactive():
        if not known:
            raise RugcoachError(t("activities.none"))
        given = _ask_scores(known)
    else:
        raise UsageError(t("activities.rate_how"))
    if not given:
        say(t("activities.nothing_rated"))
        return

    def rate(current: Diary | None) -> Diary:
        current = required(current)
        missing = [i for i in given if activities.find(current, i) is None]
        if missing:  # removed in the meantime by a newer rugcoach: write nothing
            raise RugcoachError(t("activities.unknown", value=missing[0]))
        return activities.rate(current, given, day)

    written = rt.update(rate)
    for item in activities.progress(written, last=day):
        if item.id in given:
            say(rated_line(item, day))


def parse_scores(values: list[str], ids: list[str]) -> dict[str, int]:
    """`--score 1=6 --score 2=4` (or `1=6,2=4`) to {"1": 6, "2": 4}; exit 2 when wrong."""
    from rugcoach.cli.checks import check_score

    out: dict[str, int] = {}
    for value in (part for v in values for part in v.split(",")):
        key, sep, number = value.partition("=")
        key = key.strip()
        if not sep or not key:
            raise UsageError(t("activities.bad_score_form", value=value.strip() or "''"))
        if key not in ids:
            hint = did_you_mean(key, ids) if ids else t("activities.none_short")
            raise UsageError(f"{t('activities.unknown', value=key)} {hint}")
        score = check_score(number, f"--score {key}")
        assert score is not None
        out[key] = score
    return out


def _ask_scores(known: list[Any]) -> dict[str, int]:
    """On a terminal: each activity in turn, each answer checked at once (SPEC §15); Enter
    skips one. Ctrl-D stops without saving."""
    from rugcoach.cli.checks import check_score
    from rugcoach.cli.prompts import ask_value

    def parse(text: str) -> int | None:
        return check_score(text, t("activities.score_word")) if text.strip() else None

    say(t("activities.scale"))
    out: dict[str, int] = {}
    for activity in known:
        question = t("activities.ask", id=activity["id"], name=activity["name"])
        try:
            score = ask_value(question, parse)
        except typer.Abort:
            raise RugcoachError(t("error.interrupted"), 130) from None
        if score is not None:
            out[activity["id"]] = score
    return out


def rated_line(item: Any, day: date) -> str:
    latest = item.latest["score"] if item.latest else None
    if item.change is None or item.first is None:
        return t("activities.rated_first", id=item.id, name=item.name, score=latest)
    return t(
        "activities.rated",
        id=item.id,
        name=item.name,
        score=latest,
        first=item.first["score"],
        since=item.first["date"],
        change=change_text(item),
    )
