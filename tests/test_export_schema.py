"""The json export's JSON Schema (SPEC §14): a valid draft 2020-12 schema shipped inside the
package, every field described, every kind of export valid against it and broken ones
rejected; the cleared warnings (SPEC §10) in the export and back through `import`.
"""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from helpers import export_schema
from rugcoach.diary import store as storage
from rugcoach.diary.edits import add_entry, make_entry
from test_cli_diary import (
    fast_content,  # noqa: F401 - an autouse fixture, active by import
    ok,
    run,
)
from test_report import save, small_diary, ten_year_diary

REPO_SCHEMA = Path(__file__).resolve().parents[1] / "src" / "rugcoach" / "export.schema.json"
CLEARANCES = [
    {"id": "radiating-leg-pain", "date": "2025-03-11", "time": "15:40", "note": "seen by GP"},
    {"id": "screening", "date": "2025-02-20", "time": None, "note": None},
]


def export_json(runner: CliRunner, *args: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ok(runner, "export", "--format", "json", *args).stdout)
    return data


@pytest.fixture
def small(home: Path) -> None:
    diary = small_diary()
    diary["clearances"] = copy.deepcopy(CLEARANCES)
    diary["activities"] = [
        {
            "id": "a1",
            "name": "fietsen",
            "added": "2025-03-03",
            "scores": [{"date": "2025-03-03", "score": 3}, {"date": "2025-03-10", "score": 6}],
        }
    ]
    save(home, diary)


# ----------------------------------------------------------------------- the schema itself


def test_the_schema_is_valid_draft_2020_12() -> None:
    from jsonschema import Draft202012Validator

    schema = export_schema.schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_the_package_ships_the_repository_file() -> None:
    # Loaded through importlib.resources: the file an installed rugcoach has.
    assert "export" in export_schema.SCHEMA_NAME
    assert export_schema.schema() == json.loads(REPO_SCHEMA.read_text(encoding="utf-8"))


def _property_schemas(node: Any, path: str = "") -> list[tuple[str, Any]]:
    found = []
    if isinstance(node, dict):
        for name, sub in node.get("properties", {}).items():
            found.append((f"{path}.{name}", sub))
        for key, sub in node.items():
            if key in ("properties", "$defs"):
                for name, child in sub.items():
                    found += _property_schemas(child, f"{path}.{name}")
            elif isinstance(sub, (dict, list)):
                found += _property_schemas(sub, f"{path}/{key}")
    elif isinstance(node, list):
        for n, sub in enumerate(node):
            found += _property_schemas(sub, f"{path}[{n}]")
    return found


def test_every_field_is_described() -> None:
    schema = export_schema.schema()
    assert schema["description"]
    fields = _property_schemas(schema)
    assert len(fields) > 90
    undescribed = [path for path, sub in fields if not str(sub.get("description", "")).strip()]
    assert undescribed == []
    for name, sub in schema["$defs"].items():
        assert sub.get("description"), name


# ------------------------------------------------------------------- exports against it


def test_a_full_export_is_valid(runner: CliRunner, small: None) -> None:
    data = export_schema.check(export_json(runner))
    assert {"clearances", "activities", "summary"} <= set(data)
    assert data["entries"][0]["utc_offset"] is None


@pytest.mark.parametrize(
    "args",
    [(), ("--from", "2025-03-10"), ("--from", "2025-04-01", "--to", "2025-04-14")],
)
def test_periods_are_valid(runner: CliRunner, small: None, args: tuple[str, ...]) -> None:
    export_schema.check(export_json(runner, *args))


def test_no_diary_and_dutch_are_valid(runner: CliRunner) -> None:
    data = export_schema.check(export_json(runner))
    assert data["profile"] is None and data["entries"] == []
    export_schema.check(json.loads(ok(runner, "--lang", "nl", "export").stdout))


def test_ten_years_are_valid(runner: CliRunner, home: Path) -> None:
    save(home, ten_year_diary(date(2025, 6, 30)))
    export_schema.check(export_json(runner, "--from", "2022-01-01"))


def test_the_programme_is_allowed(runner: CliRunner, small: None) -> None:
    data = export_json(runner)
    for programme in (
        None,
        {
            "by": "M. de Fysio",
            "from": "2025-03-03",
            "review": "2025-04-01",
            "adherence": [{"id": "bird-dog", "planned_days": 10, "done_days": 7, "week": 1}],
            "exercises": ["bird-dog"],
        },
    ):
        export_schema.check({**data, "programme": programme})
    bad = {"by": None, "from": None, "review": None, "adherence": [{"id": "x"}]}
    assert export_schema.problems({**data, "programme": bad})


@settings(max_examples=40, deadline=None)
@given(
    note=st.text(max_size=50) | st.none(),
    pain=st.integers(0, 10) | st.none(),
    offset=st.sampled_from([None, "+01:00", "-05:30", "+14:00"]),
    time=st.sampled_from([None, "00:00", "23:59"]),
)
def test_any_entry_is_valid(note: str | None, pain: int | None, offset: Any, time: Any) -> None:
    from rugcoach.content import load as content
    from rugcoach.reports import export
    from rugcoach.reports.report import build_report

    entry = make_entry("p", date(2025, 3, 5), time=time, utc_offset=offset, pain=pain, note=note)
    diary = add_entry(small_diary(), entry)
    report = build_report(content.load(), diary, None, None, date(2025, 3, 20))
    export_schema.check(json.loads(export.render_json(report)))


def _broken(data: dict[str, Any]) -> list[dict[str, Any]]:
    def changed(fn: Any) -> dict[str, Any]:
        copy_ = copy.deepcopy(data)
        fn(copy_)
        return copy_

    return [
        changed(lambda d: d.pop("entries")),
        changed(lambda d: d.update(format="rugcoach-diary")),
        changed(lambda d: d.update(version=2)),
        changed(lambda d: d.update(surprise=1)),  # an undocumented key
        changed(lambda d: d["entries"][0].update(pain=11)),
        changed(lambda d: d["entries"][0].update(pain="4")),
        changed(lambda d: d["entries"][0].pop("note")),
        changed(lambda d: d["entries"][0].update(date="3 March 2025")),
        changed(lambda d: d["entries"][0].update(time="8:00")),
        changed(lambda d: d["entries"][0].update(utc_offset="CET")),
        changed(lambda d: d["entries"][0].update(done="bird-dog")),
        changed(lambda d: d["entries"][0].update(mood=3)),
        changed(lambda d: d["clearances"][0].pop("date")),
        changed(lambda d: d["summary"]["weeks"][0].update(pain_mean=12)),
        changed(lambda d: d["summary"].update(daily=[])),
        changed(lambda d: d["profile"].update(profile="sciatica")),
        changed(lambda d: d["phases"][0].update(number=5)),
        changed(lambda d: d["activities"][0]["scores"][0].update(score=-1)),
    ]


def test_broken_exports_are_rejected(runner: CliRunner, small: None) -> None:
    data = export_json(runner)
    export_schema.check(data)
    for n, broken in enumerate(_broken(data)):
        assert export_schema.problems(broken), n


# ------------------------------------------------------------------ cleared warnings


def test_the_export_has_the_periods_clearances(runner: CliRunner, small: None) -> None:
    assert export_json(runner)["clearances"] == CLEARANCES
    assert export_json(runner, "--from", "2025-03-01")["clearances"] == CLEARANCES[:1]
    assert export_json(runner, "--to", "2025-03-01")["clearances"] == CLEARANCES[1:]


def test_import_merges_clearances_by_id_and_date(
    runner: CliRunner, small: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "export.json"
    ok(runner, "export", "--format", "json", "--output", str(out))
    # Into a new diary: as they were.
    fresh = tmp_path / "fresh"
    monkeypatch.setenv("RUGCOACH_HOME", str(fresh))
    ok(runner, "import", str(out))
    assert storage.Store(fresh).load()["clearances"] == CLEARANCES
    # Into a diary that has one of them, and one of its own on the same day.
    other = tmp_path / "other"
    monkeypatch.setenv("RUGCOACH_HOME", str(other))
    diary = small_diary()
    own = {"id": "night-pain", "date": "2025-03-11", "time": None, "note": None}
    diary["clearances"] = [CLEARANCES[1], own]
    save(other, diary)
    result = ok(runner, "import", str(out))
    assert "Cleared warnings: 1 merged." in result.stderr
    assert storage.Store(other).load()["clearances"] == [CLEARANCES[1], own, CLEARANCES[0]]
    again = ok(runner, "import", str(out))  # idempotent
    assert "Cleared warnings" not in again.stderr
    assert len(storage.Store(other).load()["clearances"]) == 3


def test_import_refuses_a_bad_clearance(
    runner: CliRunner, small: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = export_json(runner)
    data["clearances"][0]["date"] = "2025-02-30"
    out = tmp_path / "bad.json"
    out.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setenv("RUGCOACH_HOME", str(tmp_path / "new"))
    result = run(runner, "import", str(out))
    assert result.exit_code == 1
    assert "clearances[0].date" in result.stderr
    assert not (tmp_path / "new" / "diary.json").exists()
