"""`rugcoach log`: a new entry in the diary, and the warnings it raises (SPEC §10); `edit`
and `session` use its steps (`append_entry`, `answer_warnings`) too.

The entry is checked completely before it touches the diary, so a refused `log` leaves
every file as it was (SPEC §3). `init` is `cli/init.py`; `history`, `undo` and `delete`
are `cli/entries.py`.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

from rugcoach import i18n
from rugcoach.cli.checks import (
    check_measures,
    check_minutes,
    check_note,
    check_score,
    resolve_exercises,
    resolve_symptoms,
    split_ids,
)
from rugcoach.cli.prompts import asking as _asking  # the names `log` calls them by
from rugcoach.cli.prompts import interactive as _interactive  # (tests replace this one)
from rugcoach.cli.runtime import runtime
from rugcoach.cli.shell import (
    DateOption,
    ExercisePainOption,
    NoteOption,
    PainOption,
    StiffnessOption,
    TimeOption,
    WalkOption,
    app,
    entry_clock,
    today,
)
from rugcoach.dates import past_day
from rugcoach.errors import UsageError
from rugcoach.i18n import t
from rugcoach.term.output import say

if TYPE_CHECKING:
    from collections.abc import Container

    from rugcoach.cli.runtime import Runtime
    from rugcoach.schema import Content, Diary, Entry


@app.command("log", help=t("help.log"))
def log(
    day_text: DateOption = None,
    time_text: TimeOption = None,
    pain: PainOption = None,
    exercise_pain: ExercisePainOption = None,
    stiffness: StiffnessOption = None,
    walk: WalkOption = None,
    done: Annotated[
        list[str] | None, typer.Option("--done", metavar="ID", help=t("help.opt.done"))
    ] = None,
    symptom: Annotated[
        list[str] | None, typer.Option("--symptom", metavar="ID", help=t("help.opt.symptom"))
    ] = None,
    note: NoteOption = None,
    hard: Annotated[
        list[str] | None, typer.Option("--hard", metavar="ID", help=t("help.opt.hard"))
    ] = None,
    easy: Annotated[
        list[str] | None, typer.Option("--easy", metavar="ID", help=t("help.opt.easy"))
    ] = None,
) -> None:

    rt = runtime()
    content = rt.content()
    now = today()
    values: dict[str, Any] = {
        "pain": pain,
        "exercise_pain": exercise_pain,
        "stiffness_minutes": stiffness,
        "walk_minutes": walk,
        "done": split_ids(done),
        "symptoms": split_ids(symptom),
        "note": note,
    }
    feedback = {"hard": split_ids(hard), "easy": split_ids(easy)}
    if not any(v not in (None, []) for v in [*values.values(), *feedback.values()]):
        if not _interactive():
            raise UsageError(t("error.log_nothing"))
        values = _asking(_ask_entry, content)
    day = past_day(day_text, now)
    entry_time, offset = entry_clock(day, time_text)
    values = check_measures(values, content)
    if feedback["hard"] or feedback["easy"]:
        values.update(_routine_feedback(feedback, content, rt, day))
    if not any(v not in (None, [], "") for v in values.values()):
        raise UsageError(t("error.log_nothing"))

    entry, saved, before = append_entry(rt, day, values, entry_time, offset)
    say(t("log.done", id=entry["id"], date=entry["date"]))
    names = {ex["id"]: i18n.pick(ex["name"]) for ex in content["exercises"]["exercises"]}
    for kind in ("hard", "easy"):
        if entry[kind]:
            listed = ", ".join(names.get(i, i) for i in entry[kind])
            say(t(f"log.feedback.{kind}", names=listed))
    answer_warnings(content, saved, entry, day, before=before)
    rt.report_conflicts()


def append_entry(
    rt: Runtime, day: date, values: dict[str, Any], time: str | None, offset: str | None
) -> tuple[Entry, Diary, Diary | None]:
    """One new entry of checked `values` for `day` (a new diary with defaults if there is
    none): the entry, the diary saved, and the diary as it was before. Used by `log` and
    `session`, which say that a diary was started. The diaries hold at least the entries
    that `day`'s plan looks at (coach.window), not always all of them."""
    from rugcoach.coach import window
    from rugcoach.diary import edits as diaries
    from rugcoach.diary import store as storage

    def make(_current: Diary, taken: Container[str]) -> Entry:
        entry_id = storage.new_entry_id(taken)
        return diaries.make_entry(entry_id, day, time=time, utc_offset=offset, **values)

    if rt.store().exists():
        before, saved, entry = rt.append(make, window.for_day(rt.content(), day))
        return entry, saved, before

    written: dict[str, Any] = {}

    def start(current: Diary | None) -> Diary:
        # Another rugcoach may have started the diary meanwhile: then add to that one.
        base = current or diaries.new_diary(start=day, version=storage.VERSION)
        entry = make(base, {e["id"] for e in base["entries"]})
        written.update(before=current, entry=entry)
        return diaries.add_entry(base, entry)

    saved = rt.update(start)
    if written["before"] is None:
        say(t("log.created", file=str(rt.store().path), start=day.isoformat()))
    return written["entry"], saved, written["before"]


def answer_warnings(
    content: Content, diary: Diary, entry: Entry, day: date, *, before: Diary | None = None
) -> None:
    """Right after "saved": the warnings this entry raises for its day, in full, with whom
    to call and how soon (SPEC §10) — the signs it notes, and rule warnings that were not
    active on that day before it. A sign silenced by an earlier clearance is told all the
    same: it was just noted."""
    from rugcoach.coach import alert_text
    from rugcoach.coach import alerts as alert_rules
    from rugcoach.coach import plan as coach_plan
    from rugcoach.term import canvas

    alerts = coach_plan.evaluate(content, diary, day)
    noted = set(entry["symptoms"])
    signs = {s["id"] for s in content["coaching"]["symptoms"]}
    rules = [a for a in alerts if a.id not in signs]
    had = {a.id for a in coach_plan.evaluate(content, before, day)} if rules and before else set()
    shown = [a for a in alerts if a.id in noted] + [a for a in rules if a.id not in had]
    missing = noted - {a.id for a in shown}
    if missing:
        unquiet: Diary = {**diary, "clearances": []}
        shown += [a for a in alert_rules.symptom_alerts(content, unquiet, day) if a.id in missing]
    if not shown:
        return
    width = canvas.width()
    quiet_days = content["phases"]["rules"]["quiet_days"]
    say("")
    say(t("log.raises", date=day.isoformat()))
    for alert in alert_rules.sort_alerts(shown):
        say("")
        say(alert_text.block(alert, quiet_days, width))


def _routine_feedback(
    feedback: dict[str, list[str]], content: Content, rt: Runtime, day: date
) -> dict[str, list[str]]:
    """`--hard` / `--easy` ids as the day's routine spells them (SPEC §11): only exercises
    of that day's plan (the therapist's programme, when one is in force); anything else is
    exit 2, listing them."""
    from rugcoach.coach import plan as coach
    from rugcoach.coach import prescribed as rules
    from rugcoach.coach import window
    from rugcoach.programme import prescription as programmes

    prescribed = programmes.load(content)
    since = rules.start(prescribed) if prescribed is not None else None
    current = rt.diary_window(window.for_day(content, day, since))  # as `today` reads it
    plan = coach.plan(content, current, day, prescribed)
    ids = [item.exercise["id"] for item in plan.routine]
    by_key = {i.lower(): i for i in ids}
    out: dict[str, list[str]] = {}
    for kind, given in feedback.items():
        option = f"--{kind}"
        if given and not ids:
            raise UsageError(t("error.no_routine", date=day.isoformat(), option=option))
        out[kind] = []
        for value in given:
            found = by_key.get(value.strip().lower())
            if found is None:
                raise UsageError(
                    t(
                        "error.not_in_routine",
                        value=value,
                        date=day.isoformat(),
                        option=option,
                        ids=", ".join(ids),
                    )
                )
            if found not in out[kind]:
                out[kind].append(found)
    return out


def _ask_entry(content: Content) -> dict[str, Any]:
    """On a terminal with no options: ask each measure, checking each answer at once and
    asking again if it is not usable; Enter skips a question."""
    from rugcoach.cli import prompts
    from rugcoach.diary import edits as diaries

    def ask(key: str, check: Any) -> Any:
        def parse(text: str) -> Any:
            return check(text) if text else None

        return prompts.ask_value(t(key), parse, default="", shown_default="")

    def ids(resolve: Any) -> Any:
        return lambda text: resolve(split_ids([text]), content)

    return {
        "pain": ask("ask.pain", lambda v: check_score(v, "--pain")),
        "exercise_pain": ask("ask.exercise_pain", lambda v: check_score(v, "--exercise-pain")),
        "stiffness_minutes": ask(
            "ask.stiffness", lambda v: check_minutes(v, "--stiffness", diaries.MAX_STIFFNESS)
        ),
        "walk_minutes": ask("ask.walk", lambda v: check_minutes(v, "--walk", diaries.MAX_WALK)),
        "done": ask("ask.done", ids(resolve_exercises)) or [],
        "symptoms": ask("ask.symptoms", ids(resolve_symptoms)) or [],
        "note": ask("ask.note", check_note),
    }
