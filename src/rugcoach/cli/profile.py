"""`rugcoach profile` / `profile set`: see and change the profile without touching the
entries (SPEC §15): complaint type, language, goals, risk factors, and whether the risk
factors were discussed with the GP.

A newly recorded risk factor brings the standing `screening` warning back until it is
discussed (SPEC §10). The change is saved like every other, with the rotating backup.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from rugcoach import i18n
from rugcoach.cli import completers
from rugcoach.cli.runtime import required, runtime
from rugcoach.cli.shell import JsonOption, app, did_you_mean
from rugcoach.errors import UsageError
from rugcoach.i18n import t
from rugcoach.term.output import emit_json, say
from rugcoach.vocab import LANGS

if TYPE_CHECKING:
    from rugcoach.schema import Content, Diary, DiaryProfile

profile_app = typer.Typer(cls=TyperGroup, help=t("profile.help"))
app.add_typer(profile_app, name="profile")


def resolve_profile(value: str) -> str:
    """A complaint type as typed to its id; an unknown one is exit 2 with a "did you mean".
    (The one place a typed profile is looked up here, so other names can be added once.)"""
    from rugcoach.cli import ids

    found = ids.profile_id(value)
    if found is not None:
        return found
    key = value.strip().lower()
    hint = did_you_mean(key, ids.candidates("profile"), ids.shown_profiles())
    raise UsageError(t("error.bad_profile", value=value) + " " + hint)


def risk_ids(content: Content) -> list[str]:
    return [q["id"] for q in content["coaching"]["screening"]]


def resolve_risks(values: list[str], content: Content) -> list[str]:
    known = risk_ids(content)
    out = []
    for value in values:
        key = value.strip().lower()
        if key not in known:
            raise UsageError(
                t("error.unknown_screening", value=value)
                + " "
                + t("error.valid", values=", ".join(known))
            )
        out.append(key)
    return list(dict.fromkeys(out))


def profile_json(profile: DiaryProfile) -> dict[str, Any]:
    return {
        "profile": profile["profile"],
        "language": profile["language"],
        "start_date": profile["start_date"],
        "goals": list(profile["goals"]),
        "risks": list(profile["screening_flags"]),
        "screening_cleared": profile["screening_cleared"],
    }


@profile_app.callback(invoke_without_command=True)
def profile_show(ctx: typer.Context, as_json: JsonOption = False) -> None:
    if ctx.invoked_subcommand is not None:
        return
    diary = required(runtime().diary())
    if as_json:
        emit_json(profile_json(diary["profile"]))
        return
    from rugcoach.safe_text import clean  # goals are the person's own text (SPEC §13)

    sys.stdout.write(clean(_text(diary["profile"])))


def _text(profile: DiaryProfile) -> str:
    import shutil
    import textwrap

    width = max(40, shutil.get_terminal_size((80, 24)).columns)

    def item(label: str, value: str) -> list[str]:
        return textwrap.wrap(
            value,
            width,
            initial_indent=f"{label}: ",
            subsequent_indent="  ",
            break_on_hyphens=False,
        )

    lang = profile["language"]
    lines = [t("profile.title")]
    name = t("profile." + profile["profile"])
    shown = profile["profile"] if name == profile["profile"] else f"{profile['profile']} ({name})"
    lines += item(t("profile.label.profile"), shown)
    lines += item(t("profile.label.language"), lang if lang else t("profile.language_unset"))
    lines += item(t("profile.label.start"), profile["start_date"])
    lines.append(f"{t('profile.label.goals')}:" + ("" if profile["goals"] else " -"))
    for goal in profile["goals"]:
        lines += textwrap.wrap(goal, width, initial_indent="  - ", subsequent_indent="    ")
    risks = profile["screening_flags"]
    lines += item(t("profile.label.risks"), ", ".join(risks) if risks else "-")
    if risks:
        state = "profile.risks_cleared" if profile["screening_cleared"] else "profile.risks_open"
        lines += textwrap.wrap(t(state), width, initial_indent="  ", subsequent_indent="  ")
    return "".join(line + "\n" for line in lines)


@profile_app.command("set", help=t("profile.set.help"))
def profile_set(
    profile: Annotated[
        str | None,
        typer.Option(
            "--profile",
            metavar="P",
            help=t("help.opt.profile"),
            autocompletion=completers.profile_ids,
        ),
    ] = None,
    lang: Annotated[
        str | None, typer.Option("--lang", metavar="nl|en", help=t("help.opt.init_lang"))
    ] = None,
    goals: Annotated[
        list[str] | None, typer.Option("--goal", metavar="TEXT", help=t("profile.opt.goal"))
    ] = None,
    clear_goals: Annotated[
        bool, typer.Option("--clear-goals", help=t("profile.opt.clear_goals"))
    ] = False,
    risks: Annotated[
        list[str] | None,
        typer.Option(
            "--risk", metavar="ID", help=t("profile.opt.risk"), autocompletion=completers.risk_ids
        ),
    ] = None,
    clear_risks: Annotated[
        bool, typer.Option("--clear-risks", help=t("profile.opt.clear_risks"))
    ] = False,
    screening_cleared: Annotated[
        bool, typer.Option("--screening-cleared", help=t("help.opt.screening_cleared"))
    ] = False,
) -> None:
    from rugcoach.cli.checks import check_goals

    if all(
        v in (None, False) for v in (profile, lang, goals, clear_goals, risks, clear_risks)
    ) and (not screening_cleared):
        raise UsageError(t("profile.set.nothing"))
    if goals is not None and clear_goals:
        raise UsageError(t("edit.both", option="--goal", clear="--clear-goals"))
    if risks is not None and clear_risks:
        raise UsageError(t("edit.both", option="--risk", clear="--clear-risks"))
    rt = runtime()
    content = rt.content()
    changes: dict[str, Any] = {}
    if profile is not None:
        changes["profile"] = resolve_profile(profile)
    if lang is not None:
        if lang.strip().lower() not in LANGS:
            raise UsageError(t("error.bad_lang", value=lang))
        changes["language"] = lang.strip().lower()
    if goals is not None:
        changes["goals"] = check_goals(goals)
    if clear_goals:
        changes["goals"] = []
    added = resolve_risks(risks, content) if risks is not None else []
    required(rt.diary())

    news: list[str] = []

    def change(current: Diary | None) -> Diary:
        current = required(current)
        old = current["profile"]
        new: dict[str, Any] = {**old, **changes}
        if clear_risks:
            new["screening_flags"] = []
        fresh = [r for r in added if r not in old["screening_flags"]]
        news[:] = fresh
        if fresh:
            new["screening_flags"] = [*new["screening_flags"], *fresh]
            # A risk factor not discussed yet: the standing reminder returns (SPEC §10).
            new["screening_cleared"] = False
        if screening_cleared:
            new["screening_cleared"] = True
        return {**current, "profile": new}  # type: ignore[typeddict-item]

    before = rt.diary()
    written = rt.update(change)
    if "language" in changes:
        i18n.set_language(changes["language"])
    if before is not None and written["profile"] == before["profile"]:
        say(t("profile.unchanged"))
        return
    say(t("profile.saved"))
    if news and not screening_cleared:
        say(t("profile.new_risk", risks=", ".join(news)))
    elif screening_cleared and written["profile"]["screening_flags"]:
        say(t("init.screening_cleared"))
