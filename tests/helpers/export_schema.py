"""The json export's JSON Schema (src/rugcoach/export.schema.json, SPEC §14), as the package
ships it, and a check of an export against it. Used by every test that makes a json export."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

SCHEMA_NAME = "export.schema.json"


@cache
def schema() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        resources.files("rugcoach").joinpath(SCHEMA_NAME).read_text(encoding="utf-8")
    )
    return data


@cache
def validator() -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def problems(data: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator().iter_errors(data)
    ]


def check(data: Any) -> Any:
    """`data` (an export, parsed) if it follows the schema; else the test fails, saying where."""
    found = problems(data)
    assert not found, found[:5]
    return data
