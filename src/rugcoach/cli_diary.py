"""Commands that write or list the diary: init, log, history, undo, delete, import.

Each command checks its input completely before it touches the diary, so a refused command
leaves every file as it was (SPEC §3).
"""

from __future__ import annotations

import os
import re
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from rugcoach import i18n
from rugcoach.cli import DateOption, JsonOption, app, did_you_mean, runtime, today
from rugcoach.dates import parse_day, parse_time
from rugcoach.errors import RugcoachError, UsageError
from rugcoach.i18n import t
from rugcoach.vocab import PROFILES

if TYPE_CHECKING:
    from rugcoach.schema import Content, Diary, Entry


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


# ------------------------------------------------------------------------- input checks


def _whole(value: int | str | None) -> int | str | None:
    """An option's text as a whole number; text that is not one comes back unchanged."""
    if value is None or isinstance(value, int):
        return value
    text = value.strip()
    return int(text) if re.fullmatch(r"[+-]?[0-9]{1,9}", text) else value


def _shown(value: object) -> str:
    """A value as typed, for a message; an empty one shows as ''."""
    return str(value) if str(value).strip() else "''"


def check_score(value: int | str | None, option: str) -> int | None:
    number = _whole(value)
    if number is None:
        return None
    if not isinstance(number, int) or not 0 <= number <= 10:
        raise UsageError(t("error.bad_score", option=option, value=_shown(value)))
    return number


def check_minutes(value: int | str | None, option: str, most: int) -> int | None:
    number = _whole(value)
    if number is None:
        return None
    if not isinstance(number, int) or not 0 <= number <= most:
        raise UsageError(t("error.bad_minutes", option=option, value=_shown(value), most=most))
    return number


def check_text(text: str, option: str) -> str:
    """Text from the command line that can be saved: bytes that were not valid UTF-8 reach
    Python as lone surrogates, which no diary file can hold."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise UsageError(t("error.not_text", option=option)) from None
    return text


def check_note(note: str | None) -> str | None:
    from rugcoach.diary import MAX_NOTE

    if note is None:
        return None
    if len(note) > MAX_NOTE:
        raise UsageError(t("error.note_too_long", most=MAX_NOTE, length=len(note)))
    return check_text(note, "--note")


def check_goals(goals: list[str]) -> list[str]:
    from rugcoach.diary import MAX_GOAL

    out = []
    for goal in goals:
        goal = check_text(goal, "--goal").strip()
        if len(goal) > MAX_GOAL:
            raise UsageError(t("error.goal_too_long", most=MAX_GOAL, length=len(goal)))
        if goal:
            out.append(goal)
    return out


def resolve_symptoms(values: list[str], content: Content) -> list[str]:
    """Symptom ids (or their Dutch aliases) to ids; an unknown one is a usage error."""
    known: dict[str, str] = {}
    for symptom in content["coaching"]["symptoms"]:
        for name in (symptom["id"], *symptom["aliases"]):
            known[name] = symptom["id"]
    out = []
    for value in values:
        key = value.strip().lower()
        if key not in known:
            ids = [s["id"] for s in content["coaching"]["symptoms"]]
            raise UsageError(
                t("error.unknown_symptom", value=value) + " " + did_you_mean(key, list(known), ids)
            )
        out.append(known[key])
    return out


def resolve_exercises(values: list[str], content: Content) -> list[str]:
    """Exercise ids (any letter case) as the library spells them; an unknown one is exit 2."""
    ids = [ex["id"] for ex in content["exercises"]["exercises"]]
    by_key = {i.lower(): i for i in ids}
    out = []
    for value in values:
        key = value.strip().lower()
        if key not in by_key:
            raise UsageError(
                t("error.unknown_exercise", value=value) + " " + did_you_mean(key, ids)
            )
        out.append(by_key[key])
    return out


def _split(values: list[str] | None) -> list[str]:
    """`--done a --done b` and `--done a,b` both work."""
    return [part.strip() for v in values or [] for part in v.split(",") if part.strip()]


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
        i18n_say(t("init.screening_cleared"))
        return
    if rt.store().exists() and not force:
        raise RugcoachError(t("init.exists", file=str(rt.store().path)))

    if no_options and not screening_cleared and _interactive():
        answers = _asking(_intake, content, day)
    else:
        answers = {
            "start": parse_day(start_date, day, "--start-date") if start_date else day,
            "profile": profile or "general",
            "phase": _whole(phase) if phase is not None else 1,
            "language": lang,
            "goals": goals or [],
            "screening": _split(screening),
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
    replaced = rt.store().load() if rt.store().exists() else None
    removing = [e["id"] for e in replaced["entries"]] if replaced else []
    rt.update(lambda _current: new, removing=removing)
    if answers["language"]:
        i18n.set_language(answers["language"].lower())
    i18n_say(t("init.done", file=str(rt.store().path), start=answers["start"].isoformat()))
    if replaced:
        i18n_say(t("init.replaced", count=len(removing)))
    i18n_say(pick_disclaimer(content))


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

    i18n_say(t("intake.welcome"))
    i18n_say(pick_disclaimer(content))
    start = parse_day(typer.prompt(t("intake.start"), default="today"), day, "--start-date")
    i18n_say(t("intake.profiles"))
    for info in content["coaching"]["profiles"]:
        i18n_say(f"  {info['id']:<13} {pick(info['name'])} - {pick(info['description'])}")
    profile = typer.prompt(t("intake.profile"), default="general").strip()
    i18n_say(t("intake.red_flags"))
    urgent = [s for s in content["coaching"]["symptoms"] if s["level"] == "urgent"]
    for symptom in urgent:
        if typer.confirm(pick(symptom["description"]), default=False):
            raise RugcoachError(pick(symptom["message"]))
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


def i18n_say(message: str) -> None:
    sys.stderr.write(message.rstrip("\n") + "\n")


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
        "done": _split(done),
        "symptoms": _split(symptom),
        "note": note,
    }
    if not any(v not in (None, []) for v in values.values()):
        if not _interactive():
            raise UsageError(t("error.log_nothing"))
        values = _asking(_ask_entry, content)
    day = parse_day(day_text, now) if day_text else now
    if day > now:
        raise UsageError(t("error.future_date", option="--date"))
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
        i18n_say(t("log.created", file=str(rt.store().path), start=day.isoformat()))
    i18n_say(t("log.done", id=entry["id"], date=entry["date"]))
    _report_conflicts(rt)


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
        "done": _split([ask("ask.done")]),
        "symptoms": _split([ask("ask.symptoms")]),
        "note": ask("ask.note") or None,
    }


def _report_conflicts(rt: Any) -> None:
    copies = rt.store().conflict_copies()
    if copies:
        i18n_say(t("diary.conflicts", files=", ".join(p.name for p in copies)))


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
        i18n_say(t("diary.none_yet"))
        return
    render.history_table(entries)
    _report_conflicts(rt)


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
    i18n_say(
        t(
            "delete.done",
            id=entry_id,
            entry=render.entry_line(before) if before else "",
            backup=str(backup),
        )
    )


# ------------------------------------------------------------------------------- import


@app.command("import", help=t("help.import"))
def import_(
    file: Annotated[Path, typer.Argument(metavar="FILE", help=t("help.arg.import_file"))],
) -> None:
    from rugcoach import diary as diaries
    from rugcoach import export, storage

    rt = runtime()
    incoming = export.read_export(file)  # checked completely before the diary is touched
    counts: dict[str, int] = {}

    def merge(current: Diary | None) -> Diary:
        from rugcoach import activities

        base = current or export.diary_from_export(incoming, storage.VERSION, today())
        result = diaries.merge_entries(base, incoming["entries"])
        counts.update(added=result.added, skipped=result.skipped)
        if current is None:  # a new diary took the file's activities as they are
            return result.diary
        # Into an existing diary: activities are matched by name, scores by date.
        merged = activities.merge(result.diary, incoming["activities"])
        counts.update(activities=merged.added, scores=merged.scores)
        return merged.diary

    rt.update(merge)
    i18n_say(
        t(
            "import.done",
            added=counts["added"],
            skipped=counts["skipped"],
            file=str(rt.store().path),
        )
    )
    if counts.get("activities") or counts.get("scores"):
        i18n_say(t("import.activities", added=counts["activities"], scores=counts["scores"]))
    _report_conflicts(rt)


__all__ = ["check_minutes", "check_score", "resolve_exercises", "resolve_symptoms"]


# ------------------------------------------------------------------------------- export


@app.command("export", help=t("help.export"))
def export_(
    fmt: Annotated[
        str, typer.Option("--format", metavar="FORMAT", help=t("help.opt.format"))
    ] = "json",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", metavar="FILE", help=t("help.opt.output"))
    ] = None,
    first: Annotated[
        str | None, typer.Option("--from", metavar="DATE", help=t("help.opt.from"))
    ] = None,
    last: Annotated[str | None, typer.Option("--to", metavar="DATE", help=t("help.opt.to"))] = None,
    weeks: Annotated[
        str | None, typer.Option("--weeks", metavar="N", help=t("help.opt.ics_weeks"))
    ] = None,
    at: Annotated[
        str | None, typer.Option("--time", metavar="HH:MM", help=t("help.opt.ics_time"))
    ] = None,
) -> None:
    from rugcoach import export, files

    now = today()
    if fmt not in export.RENDERERS:
        raise UsageError(
            t("error.bad_format", value=fmt) + " " + did_you_mean(fmt, list(export.RENDERERS))
        )
    calendar = _calendar_options(fmt, weeks, at)
    lo = parse_day(first, now, "--from") if first else None
    hi = parse_day(last, now, "--to") if last else None
    if lo and hi and lo > hi:
        raise UsageError(t("error.from_after_to"))
    rt = runtime()
    to_stdout = output is None or str(output) == "-"
    if output is not None and not to_stdout and _is_own_data(rt, output):
        raise RugcoachError(t("export.is_diary", file=str(output)))
    report = export.build_report(rt.content(), rt.diary(), lo, hi, now)
    if calendar is not None:
        from datetime import datetime, timezone

        from rugcoach import export_ics

        stamp = datetime.now(timezone.utc).replace(microsecond=0)
        text = export_ics.render(report, weeks=calendar[0], at=calendar[1], stamp=stamp)
    else:
        text = export.RENDERERS[fmt](report)
    if output is None or to_stdout:
        sys.stdout.write(text)
    else:
        files.write_atomic(output, text.encode("utf-8"))
        i18n_say(t("export.written", file=str(output)))


def _calendar_options(fmt: str, weeks: str | None, at: str | None) -> tuple[int, str] | None:
    """--weeks and --time, checked: (weeks, HH:MM) for `--format ics`, else None (and then
    neither may be given)."""
    from rugcoach import export_ics

    if fmt != "ics":
        for option, value in (("--weeks", weeks), ("--time", at)):
            if value is not None:
                raise UsageError(t("ics.only_ics", option=option))
        return None
    count = export_ics.DEFAULT_WEEKS
    if weeks is not None:
        text = weeks.strip()
        if not (text.isascii() and text.isdigit() and 1 <= int(text) <= export_ics.MAX_WEEKS):
            raise UsageError(t("ics.bad_weeks", value=_shown(weeks), most=export_ics.MAX_WEEKS))
        count = int(text)
    return count, parse_time(at) if at is not None else export_ics.DEFAULT_TIME


def _is_own_data(rt: Any, output: Path) -> bool:
    """Whether `output` is the diary, its lock file or a backup: an export must not replace them."""
    store = rt.store()
    target = os.path.realpath(output)
    own = {os.path.realpath(store.path), os.path.realpath(store.lock_path)}
    return target in own or Path(target).parent == Path(os.path.realpath(store.backup_dir))
