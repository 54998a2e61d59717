"""Commands about the content: the exercise library and checking content files."""

from __future__ import annotations

import sys
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from rugcoach.cli.runtime import runtime
from rugcoach.cli.shell import JsonOption, PhaseOption, app, did_you_mean
from rugcoach.errors import RugcoachError, UsageError
from rugcoach.i18n import t
from rugcoach.safe_text import clean

# --------------------------------------------------------------------------- exercises

exercises_app = typer.Typer(cls=TyperGroup, help=t("help.exercises"), no_args_is_help=False)
app.add_typer(exercises_app, name="exercises")


@exercises_app.callback(invoke_without_command=True)
def exercises_list(
    ctx: typer.Context,
    phase: PhaseOption = None,
    category: Annotated[
        str | None,
        typer.Option("--category", metavar="C", help=t("help.opt.category"), show_default=False),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    if ctx.invoked_subcommand is not None:
        return
    from rugcoach.content import load as content
    from rugcoach.term import output as render

    loaded = runtime().content()
    numbers = [p["number"] for p in loaded["phases"]["phases"]]
    if phase is not None and phase not in numbers:
        raise UsageError(t("error.bad_phase", value=phase, last=numbers[-1]))
    if category is not None:
        from rugcoach.cli import ids

        found = ids.category_id(category)
        if found is None:
            raise UsageError(
                t("error.bad_category", value=category)
                + " "
                + did_you_mean(category.lower(), ids.candidates("category"), ids.shown_categories())
            )
        category = found
    chosen = [
        ex
        for ex in loaded["exercises"]["exercises"]
        if (phase is None or phase in content.phases_of(ex))
        and (category is None or ex["category"] == category)
    ]
    if as_json:
        render.emit_json([render.exercise_summary(ex) for ex in chosen])
    else:
        render.exercise_table(chosen)


@exercises_app.command("show", help=t("help.exercises.show"))
def exercises_show(
    exercise_id: Annotated[str, typer.Argument(metavar="ID", help=t("help.arg.exercise"))],
    as_json: JsonOption = False,
) -> None:
    from rugcoach.term import output as render

    loaded = runtime().content()
    by_id = {ex["id"]: ex for ex in loaded["exercises"]["exercises"]}
    if exercise_id not in by_id:
        raise UsageError(
            t("error.unknown_exercise", value=exercise_id)
            + " "
            + did_you_mean(exercise_id, list(by_id))
        )
    if as_json:
        render.emit_json(render.exercise_detail(by_id[exercise_id], loaded))
    else:
        render.exercise_card(by_id[exercise_id], loaded)


# ---------------------------------------------------------------------------- validate


@app.command("validate", help=t("help.validate"))
def validate(
    files: Annotated[
        list[str] | None,
        typer.Argument(metavar="[FILE]...", help=t("help.arg.files"), show_default=False),
    ] = None,
) -> None:
    from pathlib import Path

    from rugcoach.coach.prescribed import FORMAT
    from rugcoach.content import load as content
    from rugcoach.content.validation import ContentError, Problem, load_yaml
    from rugcoach.programme import prescription as programme

    in_force = content.sources()
    # Programme files (SPEC §12) are checked against the content in force (or named here).
    programmes: list[Path] = []
    if files:
        chosen = {s.kind: s for s in in_force}
        for name in files:
            path = Path(name)
            if not path.is_file():
                raise RugcoachError(t("error.no_file", file=name))
            try:
                data, _ = load_yaml(path)
            except ContentError as exc:
                _report_problems(exc.problems)
            named = path.name.split(".")[0] == programme.FILE_NAME.split(".")[0]
            if named or (isinstance(data, dict) and data.get("format") == FORMAT):
                programmes.append(path)
                continue
            kind = content.kind_of(path, data)
            if kind is None:
                _report_problems([Problem(name, 1, "", t("validate.unknown_kind"))])
            chosen[kind] = content.Source(kind, path, True)
        in_force = list(chosen.values())
    try:
        loaded = content.load(in_force, use_cache=False)
    except ContentError as exc:
        _report_problems(exc.problems)
    if not files:
        found = programme.location()
        programmes = [found] if found is not None else []
    checked = []
    problems: list[Problem] = []
    for path in programmes:
        try:
            checked.append((path, programme.load_file(path, loaded, use_cache=False)))
        except ContentError as exc:
            problems.extend(exc.problems)
    if problems:
        _report_problems(problems)
    for source in in_force:
        if not files or source.custom:
            sys.stdout.write(clean(t("validate.ok", file=str(source.path))) + "\n")
    for path, found_programme in checked:
        count = len(found_programme["exercises"])
        sys.stdout.write(clean(t("validate.programme_ok", file=str(path), count=count)) + "\n")
    sys.stdout.write(
        t(
            "validate.summary",
            phases=len(loaded["phases"]["phases"]),
            exercises=len(loaded["exercises"]["exercises"]),
            tips=len(loaded["coaching"]["tips"]),
        )
        + "\n"
    )


def _report_problems(problems: list[Any]) -> NoReturn:
    for problem in problems:
        sys.stdout.write(clean(str(problem)) + "\n")
    raise RugcoachError(t("validate.failed", count=len(problems)))
