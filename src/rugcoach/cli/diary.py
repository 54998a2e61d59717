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
from rugcoach.cli.checks import (
    check_goals,
    check_measures,
    check_minutes,
    check_note,
    check_score,
    resolve_exercises,
    resolve_symptoms,
    shown,
    split_ids,
    whole,
)
from rugcoach.cli.prompts import normalise
from rugcoach.cli.runtime import runtime
from rugcoach.cli.shell import (
    DateOption,
    ExercisePainOption,
    JsonOption,
    NoteOption,
    PainOption,
    StiffnessOption,
    TimeOption,
    WalkOption,
    app,
    did_you_mean,
    entry_clock,
    today,
)
from rugcoach.dates import parse_day, past_day
from rugcoach.errors import RugcoachError, UsageError
from rugcoach.i18n import t
from rugcoach.term.output import say

if TYPE_CHECKING:
    from rugcoach.cli.runtime import Runtime
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
    from rugcoach.diary import edits as diaries
    from rugcoach.diary import store as storage

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
    entry = None
    if signs:
        # Signs told at the intake are kept as that day's entry, so `today` shows their
        # warnings (an urgent one holds back the exercises) until they are seen to.
        entry = diaries.make_entry(storage.new_entry_id(()), day, symptoms=signs)
        new = diaries.add_entry(new, entry)
    replaced = rt.store().load() if rt.store().exists() else None
    removing = [e["id"] for e in replaced["entries"]] if replaced else []
    saved = rt.update(lambda _current: new, removing=removing)
    if answers["language"]:
        i18n.set_language(answers["language"].lower())
    say(t("init.done", file=str(rt.store().path), start=answers["start"].isoformat()))
    if replaced:
        say(t("init.replaced", count=len(removing)))
    say(pick_disclaimer(content))
    if answers.get("urgent"):
        say("")
        say(t("intake.urgent_stop"))
    if entry is not None:
        # The urgent message is the last thing said.
        answer_warnings(content, saved, entry, day)


def _check_init(answers: dict[str, Any], content: Content, day: date) -> None:
    from rugcoach.cli import ids

    typed = answers["profile"].strip()
    found = ids.profile_id(typed)
    if found is None:
        raise UsageError(
            t("error.bad_profile", value=typed)
            + " "
            + did_you_mean(typed.lower(), ids.candidates("profile"), ids.shown_profiles())
        )
    answers["profile"] = found
    numbers = [p["number"] for p in content["phases"]["phases"]]
    if answers["phase"] not in numbers:
        raise UsageError(t("error.bad_phase", value=answers["phase"], last=numbers[-1]))
    if answers["language"] and answers["language"].lower() not in i18n.LANGS:
        raise UsageError(t("error.bad_lang", value=answers["language"]))
    if answers["start"] > day:
        raise UsageError(t("error.future_date", option="--start-date"))
    answers["goals"] = check_goals(answers["goals"])
    risks = [q["id"] for q in content["coaching"]["screening"]]
    for flag in answers["screening"]:
        if flag not in risks:
            raise UsageError(
                t("error.unknown_screening", value=flag) + " " + did_you_mean(flag, risks)
            )


def _asking(questions: Any, *args: Any) -> Any:
    """Run a set of questions; Ctrl-D or Ctrl-C at a prompt stops without writing anything."""
    try:
        return questions(*args)
    except typer.Abort:
        raise RugcoachError(t("error.interrupted"), 130) from None


def _intake(content: Content, day: date) -> dict[str, Any]:
    """The questions of a first start on a terminal (SPEC §10, §15): start date, complaint,
    the urgent warning signs, fever / weight loss / night pain, risk factors, goals. Every
    answer is checked as it is given and asked again if it is not usable. A "yes" to an
    urgent sign ends the questions: a doctor comes first (the diary is still saved)."""
    from rugcoach.cli import prompts
    from rugcoach.i18n import pick

    say(t("intake.welcome"))
    say(pick_disclaimer(content))

    def start_date(text: str) -> date:
        return past_day(text, day, "--start-date")

    start = prompts.ask_value(
        t("intake.start"), start_date, default="today", shown_default=t("prompt.today")
    )
    say(t("intake.profiles"))
    profiles = content["coaching"]["profiles"]
    choices: dict[str, str] = {}
    for n, info in enumerate(profiles, 1):
        say(f"  {n}. {info['id']:<13} {pick(info['name'])} - {pick(info['description'])}")
        for word in (str(n), info["id"], info["name"]["nl"], info["name"]["en"]):
            choices.setdefault(prompts.normalise(word), info["id"])
    from rugcoach.cli import ids

    for word in ids.candidates("profile"):  # Dutch ids too: zenuwpijn, chronisch, ...
        found = ids.profile_id(word)
        if found is not None:
            choices.setdefault(prompts.normalise(word), found)
    profile = prompts.ask_choice(
        t("intake.profile"),
        choices,
        listed=[f"{n} ({info['id']})" for n, info in enumerate(profiles, 1)],
        default="general",
    )
    answers: dict[str, Any] = {
        "start": start,
        "profile": profile,
        "phase": 1,
        "language": i18n.current(),
        "goals": [],
        "screening": [],
        "signs": [],
    }
    say(t("intake.red_flags"))
    for sign in content["coaching"]["symptoms"]:
        if sign["level"] != "urgent":
            continue
        if prompts.ask_yes_no(t("intake.sign_question", description=pick(sign["description"]))):
            answers["signs"] = [sign["id"]]
            answers["urgent"] = True
            return answers
    say(t("intake.more_signs"))
    for sign in content["coaching"]["symptoms"]:
        if sign["id"] in INTAKE_CONSULT_SIGNS and prompts.ask_yes_no(
            t("intake.sign_question", description=pick(sign["description"]))
        ):
            answers["signs"].append(sign["id"])
    say(t("intake.risks"))
    answers["screening"] = [
        q["id"] for q in content["coaching"]["screening"] if prompts.ask_yes_no(pick(q["question"]))
    ]
    for _ in range(3):
        goal = prompts.ask_value(t("intake.goal"), _one_goal, default="", shown_default="")
        if not goal:
            break
        answers["goals"].append(goal)
    return answers


# The consult signs the intake asks about besides the urgent ones (SPEC §10).
INTAKE_CONSULT_SIGNS = ("fever", "weight-loss", "night-pain")


def _one_goal(text: str) -> str:
    goals = check_goals([text])
    return goals[0] if goals else ""


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
        values.update(_routine_feedback(feedback, content, rt.diary(), day))
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
    `session`, which say that a diary was started."""
    from rugcoach.diary import edits as diaries
    from rugcoach.diary import store as storage

    written: dict[str, Any] = {}

    def append(current: Diary | None) -> Diary:
        written["before"] = current
        base = current or diaries.new_diary(start=day, version=storage.VERSION)
        entry = diaries.make_entry(
            storage.new_entry_id(e["id"] for e in base["entries"]),
            day,
            time=time,
            utc_offset=offset,
            **values,
        )
        written["entry"] = entry
        return diaries.add_entry(base, entry)

    created = not rt.store().exists()
    saved = rt.update(append)
    if created:
        say(t("log.created", file=str(rt.store().path), start=day.isoformat()))
    return written["entry"], saved, written["before"]


def answer_warnings(
    content: Content, diary: Diary, entry: Entry, day: date, *, before: Diary | None = None
) -> None:
    """Right after "saved": the warnings this entry raises for its day, in full, with whom
    to call and how soon (SPEC §10) — the signs it notes, and rule warnings that were not
    active on that day before it. A sign silenced by an earlier clearance is told all the
    same: it was just noted."""
    import shutil

    from rugcoach.coach import alert_text as warning_text
    from rugcoach.coach import alerts as warnings
    from rugcoach.coach import plan as coach_plan

    alerts = coach_plan.evaluate(content, diary, day)
    noted = set(entry["symptoms"])
    signs = {s["id"] for s in content["coaching"]["symptoms"]}
    rules = [a for a in alerts if a.id not in signs]
    had = {a.id for a in coach_plan.evaluate(content, before, day)} if rules and before else set()
    shown = [a for a in alerts if a.id in noted] + [a for a in rules if a.id not in had]
    missing = noted - {a.id for a in shown}
    if missing:
        unquiet: Diary = {**diary, "clearances": []}
        shown += [a for a in warnings.symptom_alerts(content, unquiet, day) if a.id in missing]
    if not shown:
        return
    width = max(40, min(shutil.get_terminal_size((80, 24)).columns, 100))
    quiet_days = content["phases"]["rules"]["quiet_days"]
    say("")
    say(t("log.raises", date=day.isoformat()))
    for alert in warnings.sort_alerts(shown):
        say("")
        say(warning_text.block(alert, quiet_days, width))


def _routine_feedback(
    feedback: dict[str, list[str]], content: Content, current: Diary | None, day: date
) -> dict[str, list[str]]:
    """`--hard` / `--easy` ids as the day's routine spells them (SPEC §11): only exercises
    of that day's plan; anything else is exit 2, listing them."""
    from rugcoach.coach import plan as coach

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


# ------------------------------------------------------------------------------ history


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
    if backup is not None:
        # Importing that backup merges the entry back by its id (the others are there).
        import shlex

        say(t("undo.restore", command=f"rugcoach import {shlex.quote(str(backup))}"))
