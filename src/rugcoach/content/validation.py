"""Reading YAML safely with line numbers, and turning pydantic errors into `file:line` lines.

Imported only on cold paths: it pulls in PyYAML and pydantic.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, TypeVar, cast

import yaml

from rugcoach.errors import RugcoachError
from rugcoach.i18n import t

T = TypeVar("T")
Loc = tuple[str | int, ...]
MAX_CONTENT_BYTES = 2_000_000


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}"
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


class ContentError(RugcoachError):
    """One or more problems in a content file; exit 1 (SPEC §3)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class LineMap:
    """Where each value of a YAML document stands, by its path of keys and indexes."""

    def __init__(self) -> None:
        self.lines: dict[Loc, int] = {(): 1}

    def line(self, loc: Loc) -> int:
        for end in range(len(loc), -1, -1):
            found = self.lines.get(loc[:end])
            if found is not None:
                return found
        return 1


def _field(loc: Iterable[str | int]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def load_yaml(path: Path, text: str | None = None) -> tuple[Any, LineMap]:
    """Parse one YAML document with the safe loader; problems become `ContentError`."""
    name = str(path)
    try:
        if text is None:
            if path.stat().st_size > MAX_CONTENT_BYTES:
                raise ContentError([Problem(name, 1, "", t("content.too_big"))])
            text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ContentError([Problem(name, 1, "", t("content.not_utf8"))]) from None
    except OSError as exc:
        raise ContentError(
            [Problem(name, 1, "", t("content.unreadable", why=exc.strerror))]
        ) from None
    try:
        # The reader checks the characters as it is made: NUL and other control bytes fail here.
        loader = yaml.SafeLoader(text)
    except yaml.YAMLError as exc:
        what = " ".join(str(exc).split())
        raise ContentError([Problem(name, 1, "", t("content.yaml_error", what=what))]) from None
    try:
        node = loader.get_single_node()
        lines = LineMap()
        problems: list[Problem] = []
        if node is not None:
            _walk(node, (), lines, problems, name, set())
        if problems:
            raise ContentError(problems)
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = " ".join(x for x in (exc.context, exc.problem) if x) or "invalid YAML"
        raise ContentError([Problem(name, line, "", t("content.yaml_error", what=what))]) from None
    except yaml.YAMLError as exc:
        raise ContentError([Problem(name, 1, "", t("content.yaml_error", what=str(exc)))]) from None
    finally:
        loader.dispose()
    return data, lines


def _walk(
    node: yaml.Node, loc: Loc, lines: LineMap, problems: list[Problem], name: str, seen: set[int]
) -> None:
    # A node met twice is an alias: refused, because aliases let a tiny file expand into a
    # huge one ("billion laughs") and content never needs them.
    if id(node) in seen:
        problems.append(Problem(name, node.start_mark.line + 1, _field(loc), t("content.alias")))
        return
    seen.add(id(node))
    lines.lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        keys: set[str] = set()
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else "?"
            if key in keys:
                problems.append(
                    Problem(
                        name,
                        key_node.start_mark.line + 1,
                        _field((*loc, key)),
                        t("content.duplicate_key"),
                    )
                )
            keys.add(key)
            _walk(value_node, (*loc, key), lines, problems, name, seen)
            # A person looks for the key, not the value (which may start a line later).
            where = (*loc, key)
            lines.lines[where] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*loc, index), lines, problems, name, seen)


@cache
def _adapter(type_: Any) -> Any:
    from pydantic import TypeAdapter

    return TypeAdapter(type_)


def validate(type_: type[T], data: Any, name: str, lines: LineMap | None = None) -> T:
    """`data` checked against `type_`, or `ContentError` listing every problem with its line."""
    from pydantic import ValidationError

    try:
        checked: T = _adapter(cast(Any, type_)).validate_python(data)
        return checked
    except ValidationError as exc:
        lines = lines or LineMap()
        problems = []
        for err in exc.errors(include_url=False, include_context=False):
            loc = tuple(
                p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-"))
            )
            # pydantic adds the tag of the union member it tried; the person never wrote it.
            loc = tuple(
                p for p in loc if p not in ("dict[str,any]", "str", "int", "none", "list[...]")
            )
            problems.append(Problem(name, lines.line(loc), _field(loc), err["msg"]))
        raise ContentError(problems) from None
