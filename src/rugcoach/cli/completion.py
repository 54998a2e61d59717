"""`rugcoach completion bash|zsh|fish`: the shell's completion script (SPEC §15).

The script calls rugcoach back with `_RUGCOACH_COMPLETE` set when Tab is pressed; `cli.Group`
then lets typer (click's shell completion) answer. Nothing of this is imported on any other
run, so completion costs nothing at start-up.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from rugcoach.cli.shell import COMPLETE_VAR, app, did_you_mean
from rugcoach.errors import UsageError
from rugcoach.i18n import t

SHELLS = ("bash", "zsh", "fish")


@app.command("completion", help=t("completion.help"))
def completion(
    shell: Annotated[str, typer.Argument(metavar="bash|zsh|fish", help=t("completion.arg"))],
) -> None:
    from typer._completion_classes import completion_init
    from typer._completion_shared import get_completion_script

    name = shell.strip().lower()
    if name not in SHELLS:
        raise UsageError(
            t("completion.bad_shell", value=shell) + " " + did_you_mean(name, list(SHELLS))
        )
    completion_init()
    script = get_completion_script(prog_name="rugcoach", complete_var=COMPLETE_VAR, shell=name)
    sys.stdout.write(script.rstrip("\n") + "\n")
