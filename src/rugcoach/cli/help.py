"""Help and usage errors in the person's language (SPEC §15).

typer builds its help texts when the command modules are imported, in whatever language
was known then, and its vendored click writes its own words (`Usage:`, `Options`,
`Show this message and exit.`, every usage error) in English. This module is imported only
when help is about to be shown or the command line was wrong, so `today` pays nothing:

- `prepare` settles the language (--lang, RUGCOACH_LANG, the profile, the locale), then
  walks every registered command and puts each help text back in that language — found by
  its text in either catalogue, so any command whose help comes from the catalogue is
  covered without being listed here — and gives each command a help formatter that writes
  click's own words from the catalogue;
- `usage_detail` turns a click usage error into a sentence from the catalogue, by its kind
  and the values it carries; what it does not recognise becomes a plain "the command line
  is wrong", never English on a Dutch screen.
"""

from __future__ import annotations

import inspect
import os
import re
import string
from collections.abc import Iterator
from typing import Any

from rugcoach import i18n
from rugcoach.cli.runtime import Runtime
from rugcoach.i18n import t
from rugcoach.vocab import LANGS

_ORIGINAL = "_rugcoach_original"


def settle_language(early: str | None) -> None:
    """The language of help and usage errors, by the order of SPEC §15; the profile is
    read only when neither --lang nor RUGCOACH_LANG decides."""
    explicit = early if early in LANGS else None
    profile = None
    if explicit is None and not _env_language():
        profile = Runtime().profile_language()
    i18n.set_language(i18n.detect(explicit, profile))


def _env_language() -> str | None:
    value = (os.environ.get("RUGCOACH_LANG") or "").strip().lower()[:2]
    return value if value in LANGS else None


def prepare(root: Any, early: str | None) -> None:
    """Every command's help in the person's language, with click's words translated."""
    settle_language(early)
    index = _Index()
    for command in _walk(root):
        _localise(command, index)


def _walk(command: Any) -> Iterator[Any]:
    yield command
    for sub in (getattr(command, "commands", None) or {}).values():
        yield from _walk(sub)


def _localise(command: Any, index: _Index) -> None:
    # Always translate from the texts the command was built with, so a second help in the
    # other language (tests run many in one process) starts from the same place.
    saved: dict[str, Any] = command.__dict__.setdefault(_ORIGINAL, {})
    for attr in ("help", "short_help", "epilog"):
        saved.setdefault(attr, getattr(command, attr, None))
        text = saved[attr]
        if isinstance(text, str):
            setattr(command, attr, index.translate(text))
    if getattr(command, "options_metavar", None):
        saved.setdefault("options_metavar", command.options_metavar)
        command.options_metavar = _metavar(saved["options_metavar"])
    if getattr(command, "subcommand_metavar", None):
        saved.setdefault("subcommand_metavar", command.subcommand_metavar)
        command.subcommand_metavar = _metavar(saved["subcommand_metavar"])
    for param in command.params:
        kept: dict[str, Any] = param.__dict__.setdefault(_ORIGINAL, {})
        kept.setdefault("help", getattr(param, "help", None))
        kept.setdefault("metavar", param.metavar)
        if isinstance(kept["help"], str):
            param.help = index.translate(kept["help"])
        if isinstance(kept["metavar"], str):
            param.metavar = _metavar(kept["metavar"])
    command.context_class = _context_class(type(command).context_class)


def _metavar(word: str) -> str:
    """`DATE` -> `DATUM`, `[OPTIONS]` -> `[OPTIES]`: the placeholders of the usage line."""
    parts = re.split(r"([A-Z][A-Z_]*[A-Z]|[A-Z])", word)
    out = []
    for part in parts:
        key = f"help.metavar.{part}"
        out.append(t(key) if part and key in i18n.catalogue("en") else part)
    return "".join(out)


class _Index:
    """Catalogue texts of both languages -> their key, to find a help text's key again."""

    def __init__(self) -> None:
        self.exact: dict[str, str] = {}
        self.templates: list[tuple[re.Pattern[str], str, int]] = []
        for lang in LANGS:
            # Help keys first: a text that two keys share is found as the help text it is.
            texts = sorted(i18n.catalogue(lang).items(), key=lambda kv: "help" not in kv[0])  # type: ignore[arg-type]
            for key, text in texts:
                norm = inspect.cleandoc(text)
                if "{" not in text:
                    self.exact.setdefault(norm, key)
                    continue
                pattern, literal = _template(norm)
                if pattern is not None and literal >= 12 and "help" in key:
                    self.templates.append((pattern, key, literal))
        # The most specific template first, so a short one never claims a longer text.
        self.templates.sort(key=lambda item: -item[2])

    def translate(self, text: str) -> str:
        norm = inspect.cleandoc(text)
        key = self.exact.get(norm)
        if key is not None:
            return t(key)
        for pattern, key, _ in self.templates:
            found = pattern.fullmatch(norm)
            if found:
                try:
                    return t(key, **found.groupdict())
                except (KeyError, ValueError, IndexError):
                    return text
        return text


def _template(text: str) -> tuple[re.Pattern[str] | None, int]:
    regex, literal, seen = [], 0, set()
    try:
        pieces = list(string.Formatter().parse(text))
    except ValueError:
        return None, 0
    for before, name, spec, _conversion in pieces:
        regex.append(re.escape(before))
        literal += len(before)
        if name is None:
            continue
        if spec or not name.isidentifier():
            return None, 0
        regex.append(f"(?P={name})" if name in seen else f"(?P<{name}>.+?)")
        seen.add(name)
    return re.compile("".join(regex), re.DOTALL), literal


_contexts: dict[type, type] = {}


def _context_class(base: type) -> type:
    if base.__name__ == "LocalContext":
        return base
    if base not in _contexts:
        formatter = _formatter_class(base.formatter_class)  # type: ignore[attr-defined]
        _contexts[base] = type("LocalContext", (base,), {"formatter_class": formatter})
    return _contexts[base]


# click's headings as typer passes them (English msgids of gettext) -> catalogue keys.
_HEADINGS = {
    "Options": "help.word.options",
    "Arguments": "help.word.arguments",
    "Commands": "help.word.commands",
}


def _formatter_class(base: type) -> type:
    class LocalFormatter(base):  # type: ignore[misc]
        def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
            super().write_usage(
                prog, args, t("help.word.usage") + " " if prefix is None else prefix
            )

        def write_heading(self, heading: str) -> None:
            key = _HEADINGS.get(heading)
            super().write_heading(t(key) if key else heading)

        def write_dl(self, rows: Any, *args: Any, **kwargs: Any) -> None:
            super().write_dl([(a, _row_text(b)) for a, b in rows], *args, **kwargs)

    return LocalFormatter


def _row_text(text: str) -> str:
    """click's own words in an option's help: the help option, `[default: 8; required]`."""
    text = text.replace("Show this message and exit.", t("help.word.show_help"))
    extra = re.search(r"\[([^\[\]]*)\]$", text)
    if not extra:
        return text
    words = []
    for piece in extra[1].split("; "):
        if piece.startswith("default: "):
            words.append(t("help.word.default", value=piece[len("default: ") :]))
        elif piece == "required":
            words.append(t("help.word.required"))
        else:
            words.append(piece)
    return text[: extra.start()] + "[" + "; ".join(words) + "]"


# --- usage errors -----------------------------------------------------------------------


def usage_detail(exc: Exception) -> str:
    """One of click's usage errors as a sentence in the person's language."""
    kind = type(exc).__name__
    option = getattr(exc, "option_name", None)
    if kind == "NoSuchOption" and option:
        close = sorted(getattr(exc, "possibilities", None) or [])
        hint = " " + t("error.did_you_mean", guess=close[0]) if close else ""
        return t("error.unknown_option", option=option) + hint
    param = getattr(exc, "param", None)
    ctx = getattr(exc, "ctx", None)
    if kind == "MissingParameter" and param is not None:
        return t("error.missing_value", option=_param_name(param, ctx))
    message = str(getattr(exc, "message", "") or "").strip()
    if kind == "BadParameter" or (param is not None and kind != "MissingParameter"):
        return _bad_value(message, _param_name(param, ctx) if param is not None else None)
    return _usage_message(message)


def _param_name(param: Any, ctx: Any) -> str:
    opts = getattr(param, "opts", None) or []
    if opts and opts[0].startswith("-"):
        return str(opts[0])
    kept = getattr(param, "__dict__", {}).get(_ORIGINAL, {}).get("metavar")
    metavar = kept or getattr(param, "metavar", None)
    if isinstance(metavar, str) and metavar:
        return _metavar(metavar)
    try:
        return str(param.make_metavar(ctx))
    except Exception:  # older clicks take no ctx; the name will do
        return str(getattr(param, "name", "") or "").upper()


_VALUE = r"'(?P<value>.*)'"


def _bad_value(message: str, name: str | None) -> str:
    shown = name or "?"
    number = re.fullmatch(_VALUE + r" is not a valid (?P<kind>int|integer|float)\.?", message)
    if number:
        key = "error.not_whole_number" if number["kind"] != "float" else "error.not_number"
        return t(key, option=shown, value=number["value"])
    limits = re.fullmatch(r"(?P<value>.+?) is not in the range (?P<range>.+?)\.?", message)
    if limits:
        return t("error.out_of_range", option=shown, value=limits["value"], range=limits["range"])
    choice = re.fullmatch(_VALUE + r" is not one of (?P<choices>.+?)\.?", message)
    if choice:
        values = ", ".join(v.strip(" '") for v in choice["choices"].split(","))
        return (
            t("error.not_a_choice", option=shown, value=choice["value"])
            + " "
            + t("error.valid", values=values)
        )
    missing = re.search(r"(?:File|Path|Directory) '(?P<file>.*)' does not exist", message)
    if missing:
        return t("error.no_file", file=missing["file"])
    return t("error.bad_value", option=shown)


def _usage_message(message: str) -> str:
    unknown = re.match(r"No such command '(.+?)'\.(?: Did you mean '(.+?)'\?)?", message)
    if unknown:
        hint = " " + t("error.did_you_mean", guess=unknown[2]) if unknown[2] else ""
        return t("error.unknown_command", name=unknown[1]) + hint
    if message.startswith("Got unexpected extra argument"):
        return t("error.extra_argument", detail=message.rsplit("(", 1)[-1].rstrip(")"))
    needs = re.match(r"Option '(.+?)' requires", message)
    if needs:
        return t("error.missing_value", option=needs[1])
    flag = re.match(r"Option '(.+?)' does not take a value", message)
    if flag:
        return t("error.takes_no_value", option=flag[1])
    if message.startswith("Missing command"):
        return t("error.missing_command")
    if i18n.current() == "en" and message:
        return message if message.endswith((".", "?", "!")) else message + "."
    return t("error.bad_command_line")
