"""`rugcoach init`: a new diary, from options or from the questions of a first start on a
terminal (the intake, SPEC §10, §15).

Every answer is checked before the diary is written, so a refused `init` leaves every file
as it was (SPEC §3).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

from rugcoach import i18n
from rugcoach.cli.checks import check_goals, split_ids, whole
from rugcoach.cli.prompts import asking, interactive
from rugcoach.cli.runtime import required, runtime
from rugcoach.cli.shell import app, did_you_mean, today
from rugcoach.dates import parse_day, past_day
from rugcoach.errors import RugcoachError, UsageError
from rugcoach.i18n import t
from rugcoach.term.output import say

if TYPE_CHECKING:
    from rugcoach.schema import Content


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
        rt.update(lambda current: diaries.clear_screening(required(current)))
        say(t("init.screening_cleared"))
        return
    if rt.store().exists() and not force:
        raise RugcoachError(t("init.exists", file=str(rt.store().path)))

    if no_options and not screening_cleared and interactive():
        answers = asking(_intake, content, day)
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
        from rugcoach.cli.diary import answer_warnings

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
