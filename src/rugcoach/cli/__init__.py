"""The shell: the typer app and its error handling (`shell`), what one command works on
(`runtime`), one module per command group, and the checks and questions for what a
person types (`checks`, `prompts`).

Parses options, calls the core, renders; nothing else lives here. May import every
room; no room imports `cli`. Start-up rule: `today` and `--version` must not import
pydantic, yaml or rich, so heavy modules are imported inside the command functions.

`rugcoach.cli:main` is the console script (and `python -m rugcoach`).
"""

from rugcoach.cli.shell import COMMANDS, USAGE, app, main, register

__all__ = ["COMMANDS", "USAGE", "app", "main", "register"]
