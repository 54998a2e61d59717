"""Commands that write or list the diary: init, log, history, undo, delete, import.

Each command checks its input completely before it touches the diary, so a refused command
leaves every file as it was (SPEC §3).
"""

from __future__ import annotations

import sys
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

from rugcoach import i18n
from rugcoach.checks import (
    check_goals,
    check_minutes,
    check_note,
    check_score,
    resolve_exercises,
    resolve_symptoms,
    split_ids,
    whole,
)
from rugcoach.cli import DateOption, JsonOption, app, did_you_mean, runtime, today
from rugcoach.dates import parse_day, parse_time, past_day
from rugcoach.errors import RugcoachError, UsageError
from rugcoach.i18n import t
from rugcoach.render import say
from rugcoach.vocab import PROFILES

if TYPE_CHECKING:
    from rugcoach.schema import Content, Diary, Entry


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


# --------------------------------------------------------------------------------- init


@app.command("init", help=t("help.init"))
def init(
    start_date: Annotated[
        str | None, typer.Option("--start-date", metavar="DATE", help=t("help.opt.start_date"))
    ] = None,
    profile: Annotated[
        str | None, typer.Option("--profile", metavar="P", help=t("help.opt.profile"))
    ] = None,
    phase: Annotated[
        str | None, typer.Option("--phase", metavar="N", help=t("help.opt.init_phase"))
    ] = None,
    lang: Annotated[
        str | None, typer.Option("--lang", metavar="nl|en", help=t("help.opt.init_lang"))
    ] = None,
    goals: Annotated[
        list[str] | None, typer.Option("--goal", metavar="TEXT", help=t("help.opt.goal"))
    ] = None,
    screening: Annotated[
        list[str] | None, typer.Option("--screening", metavar="ID", help=t("help.opt.screening"))
    ] = None,
    screening_cleared: Annotated[
        bool, typer.Option("--screening-cleared", help=t("help.opt.screening_cleared"))
    ] = False,
    force: Annotated[bool, typer.Option("--force", help=t("help.opt.force"))] = False,
) -> None:
    from rugcoach import diary as diaries
    from rugcoach import storage

    rt = runtime()
    content = rt.content()
    day = today()
    no_options = all(
        v in (None, False, []) for v in (start_date, profile, phase, lang, goals, screening, force)
    )
    if screening_cleared and no_options and rt.store().exists():
        # Only the news that the risk factors were discussed with the GP: no new diary.
        rt.update(lambda current: diaries.clear_screening(_required(current)))
        say(t("init.screening_cleared"))
        return
    if rt.store().exists() and not force:
        raise RugcoachError(t("init.exists", file=str(rt.store().path)))

    if no_options and not screening_cleared and _interactive():
        answers = _asking(_intake, content, day)
    else:
        answers = {
            "start": parse_day(start_date, day, "--start-date") if start_date else day,
            "profile": profile or "general",
            "phase": whole(phase) if phase is not None else 1,
            "language": lang,
            "goals": goals or [],
            "screening": split_ids(screening),
        }
    _check_init(answers, content, day)
    new = diaries.new_diary(
        start=answers["start"],
        version=storage.VERSION,
        profile=answers["profile"],
        phase=answers["phase"],
        language=answers["language"].lower() if answers["language"] else None,
        goals=answers["goals"],
        screening_flags=answers["screening"],
    )
    if screening_cleared:
        new = diaries.clear_screening(new)
    signs = answers.get("signs", [])
    if signs:
        # An urgent warning sign told at the intake is kept as that day's entry, so `today`
        # shows the warning (and holds back the exercises) until it has been seen to.
        entry = diaries.make_entry(storage.new_entry_id(()), day, symptoms=signs)
        new = diaries.add_entry(new, entry)
    replaced = rt.store().load() if rt.store().exists() else None
    removing = [e["id"] for e in replaced["entries"]] if replaced else []
    rt.update(lambda _current: new, removing=removing)
    if answers["language"]:
        i18n.set_language(answers["language"].lower())
    say(t("init.done", file=str(rt.store().path), start=answers["start"].isoformat()))
    if replaced:
        say(t("init.replaced", count=len(removing)))
    say(pick_disclaimer(content))
    if signs:
        from rugcoach.i18n import pick

        messages = {s["id"]: s["message"] for s in content["coaching"]["symptoms"]}
        say("")
        for sign in signs:
            say(f"{t('level.urgent')}: {pick(messages[sign])}")


def _check_init(answers: dict[str, Any], content: Content, day: date) -> None:
    answers["profile"] = answers["profile"].strip().lower()
    if answers["profile"] not in PROFILES:
        raise UsageError(
            t("error.bad_profile", value=answers["profile"])
            + " "
            + did_you_mean(answers["profile"], list(PROFILES))
        )
    numbers = [p["number"] for p in content["phases"]["phases"]]
    if answers["phase"] not in numbers:
        raise UsageError(t("error.bad_phase", value=answers["phase"], last=numbers[-1]))
    if answers["language"] and answers["language"].lower() not in i18n.LANGS:
        raise UsageError(t("error.bad_lang", value=answers["language"]))
    if answers["start"] > day:
        raise UsageError(t("error.future_date", option="--start-date"))
    answers["goals"] = check_goals(answers["goals"])
    ids = [q["id"] for q in content["coaching"]["screening"]]
    for flag in answers["screening"]:
        if flag not in ids:
            raise UsageError(
                t("error.unknown_screening", value=flag) + " " + did_you_mean(flag, ids)
            )


def _asking(questions: Any, *args: Any) -> Any:
    """Run a set of questions; Ctrl-D or Ctrl-C at a prompt stops without writing anything."""
    try:
        return questions(*args)
    except typer.Abort:
        raise RugcoachError(t("error.interrupted"), 130) from None


def _intake(content: Content, day: date) -> dict[str, Any]:
    """The questions of a first start on a terminal: start date, complaint, screening, goals."""
    from rugcoach.i18n import pick

    say(t("intake.welcome"))
    say(pick_disclaimer(content))
    start = parse_day(typer.prompt(t("intake.start"), default="today"), day, "--start-date")
    say(t("intake.profiles"))
    for info in content["coaching"]["profiles"]:
        say(f"  {info['id']:<13} {pick(info['name'])} - {pick(info['description'])}")
    profile = typer.prompt(t("intake.profile"), default="general").strip()
    say(t("intake.red_flags"))
    urgent = [s for s in content["coaching"]["symptoms"] if s["level"] == "urgent"]
    signs = [s["id"] for s in urgent if typer.confirm(pick(s["description"]), default=False)]
    if signs:
        # Seeing the GP comes first: the rest of the intake can wait (run init again).
        return {
            "start": start,
            "profile": profile,
            "phase": 1,
            "language": i18n.current(),
            "goals": [],
            "screening": [],
            "signs": signs,
        }
    flags = [
        q["id"]
        for q in content["coaching"]["screening"]
        if typer.confirm(pick(q["question"]), default=False)
    ]
    goals = []
    for _ in range(3):
        goal = typer.prompt(t("intake.goal"), default="", show_default=False).strip()
        if not goal:
            break
        goals.append(goal)
    return {
        "start": start,
        "profile": profile,
        "phase": 1,
        "language": i18n.current(),
        "goals": goals,
        "screening": flags,
    }


def pick_disclaimer(content: Content) -> str:
    from rugcoach.i18n import pick

    return pick(content["coaching"]["disclaimer"])


def _required(current: Diary | None) -> Diary:
    if current is None:
        raise RugcoachError(t("error.no_diary"))
    return current


# ---------------------------------------------------------------------------------- log


@app.command("log", help=t("help.log"))
def log(
    day_text: DateOption = None,
    time_text: Annotated[
        str | None, typer.Option("--time", metavar="HH:MM", help=t("help.opt.time"))
    ] = None,
    # Numbers are taken as text and checked here, so that "--pain abc" gets the same one
    # sentence, in the person's language, as "--pain 11".
    pain: Annotated[
        str | None, typer.Option("--pain", metavar="0-10", help=t("help.opt.pain"))
    ] = None,
    exercise_pain: Annotated[
        str | None,
        typer.Option("--exercise-pain", metavar="0-10", help=t("help.opt.exercise_pain")),
    ] = None,
    stiffness: Annotated[
        str | None, typer.Option("--stiffness", metavar="MIN", help=t("help.opt.stiffness"))
    ] = None,
    walk: Annotated[
        str | None, typer.Option("--walk", metavar="MIN", help=t("help.opt.walk"))
    ] = None,
    done: Annotated[
        list[str] | None, typer.Option("--done", metavar="ID", help=t("help.opt.done"))
    ] = None,
    symptom: Annotated[
        list[str] | None, typer.Option("--symptom", metavar="ID", help=t("help.opt.symptom"))
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", metavar="TEXT", help=t("help.opt.note"))
    ] = None,
    hard: Annotated[
        list[str] | None, typer.Option("--hard", metavar="ID", help=t("help.opt.hard"))
    ] = None,
    easy: Annotated[
        list[str] | None, typer.Option("--easy", metavar="ID", help=t("help.opt.easy"))
    ] = None,
) -> None:
    from rugcoach import diary as diaries
    from rugcoach import storage

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
    entry_time = parse_time(time_text) if time_text else None
    values["pain"] = check_score(values["pain"], "--pain")
    values["exercise_pain"] = check_score(values["exercise_pain"], "--exercise-pain")
    values["stiffness_minutes"] = check_minutes(
        values["stiffness_minutes"], "--stiffness", diaries.MAX_STIFFNESS
    )
    values["walk_minutes"] = check_minutes(values["walk_minutes"], "--walk", diaries.MAX_WALK)
    values["done"] = resolve_exercises(values["done"], content)
    values["symptoms"] = resolve_symptoms(values["symptoms"], content)
    values["note"] = check_note(values["note"])
    if feedback["hard"] or feedback["easy"]:
        values.update(_routine_feedback(feedback, content, rt.diary(), day))
    if not any(v not in (None, [], "") for v in values.values()):
        raise UsageError(t("error.log_nothing"))

    written: dict[str, Entry] = {}

    def append(current: Diary | None) -> Diary:
        base = current or diaries.new_diary(start=day, version=storage.VERSION)
        entry = diaries.make_entry(
            storage.new_entry_id(e["id"] for e in base["entries"]), day, time=entry_time, **values
        )
        written["entry"] = entry
        return diaries.add_entry(base, entry)

    created = not rt.store().exists()
    rt.update(append)
    entry = written["entry"]
    if created:
        say(t("log.created", file=str(rt.store().path), start=day.isoformat()))
    say(t("log.done", id=entry["id"], date=entry["date"]))
    names = {ex["id"]: i18n.pick(ex["name"]) for ex in content["exercises"]["exercises"]}
    for kind in ("hard", "easy"):
        if entry[kind]:
            listed = ", ".join(names.get(i, i) for i in entry[kind])
            say(t(f"log.feedback.{kind}", names=listed))
    rt.report_conflicts()


def _routine_feedback(
    feedback: dict[str, list[str]], content: Content, current: Diary | None, day: date
) -> dict[str, list[str]]:
    """`--hard` / `--easy` ids as the day's routine spells them (SPEC §11): only exercises
    of that day's plan; anything else is exit 2, listing them."""
    from rugcoach import coach

    plan = coach.plan(content, current, day)
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
    """On a terminal with no options: ask each measure; Enter skips it."""

    def ask(key: str) -> str:
        return str(typer.prompt(t(key), default="", show_default=False)).strip()

    def number(key: str) -> int | None:
        text = ask(key)
        if not text:
            return None
        if not text.isdigit():
            raise UsageError(t("error.not_a_number", value=text))
        return int(text)

    return {
        "pain": number("ask.pain"),
        "exercise_pain": number("ask.exercise_pain"),
        "stiffness_minutes": number("ask.stiffness"),
        "walk_minutes": number("ask.walk"),
        "done": split_ids([ask("ask.done")]),
        "symptoms": split_ids([ask("ask.symptoms")]),
        "note": ask("ask.note") or None,
    }


# ------------------------------------------------------------------------------ history


@app.command("history", help=t("help.history"))
def history(
    first: Annotated[
        str | None, typer.Option("--from", metavar="DATE", help=t("help.opt.from"))
    ] = None,
    last: Annotated[str | None, typer.Option("--to", metavar="DATE", help=t("help.opt.to"))] = None,
    as_json: JsonOption = False,
) -> None:
    from rugcoach import diary as diaries
    from rugcoach import render

    now = today()
    lo = parse_day(first, now, "--from") if first else None
    hi = parse_day(last, now, "--to") if last else None
    rt = runtime()
    current = rt.diary()
    entries = diaries.entries_between(current, lo, hi) if current else []
    if as_json:
        render.emit_json([diaries.entry_json(e) for e in entries])
        return
    if current is None:
        say(t("diary.none_yet"))
        return
    render.history_table(entries)
    rt.report_conflicts()


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
    from rugcoach import diary as diaries

    rt = runtime()
    current = rt.diary()
    if current is None or diaries.find_entry(current, entry_id) is None:
        ids = [e["id"] for e in current["entries"]] if current else []
        hint = did_you_mean(entry_id, ids, show_all=False)
        raise UsageError(f"{t('delete.unknown', id=entry_id)} {hint}".rstrip())
    _remove(rt, entry_id)


def _remove(rt: Any, entry_id: str) -> None:
    from rugcoach import diary as diaries
    from rugcoach import render

    def drop(current: Diary | None) -> Diary:
        diary = _required(current)
        if diaries.find_entry(diary, entry_id) is None:
            raise RugcoachError(t("delete.gone", id=entry_id))
        return diaries.remove_entry(diary, entry_id)

    before = diaries.find_entry(_required(rt.diary()), entry_id)
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
