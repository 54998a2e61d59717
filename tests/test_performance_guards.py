"""Guards for the SPEC §8 design, without timing anything (timings are the benchmark's job).

- The start-up path of `--version` and `today` imports none of the heavy modules it does
  not need (pydantic, yaml, the schema's annotated types, report and export code).
- The content cache and the diary seal are trusted only when they prove themselves: stale,
  damaged or edited ones are rebuilt / ignored, never believed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rugcoach.cli.shell import app
from rugcoach.content import cache
from rugcoach.content import load as content
from rugcoach.diary.store import BrokenDiary, Store

HEAVY = (
    "pydantic",
    "yaml",
    "annotated_types",
    "rugcoach.content.validation",
    "rugcoach.reports.progress",
    "rugcoach.reports.seen",
)

PROBE = """
import sys
sys.argv = ["rugcoach", *sys.argv[1:]]
try:
    from rugcoach.cli.shell import app, register  # `main` would end the process with os._exit
    register(sys.argv[1:])  # as the console script does: the command's module only
    app()
except SystemExit as exc:
    code = exc.code
print("MODULES", " ".join(sorted(sys.modules)), file=sys.stderr)
"""


def imported(home: Path, *args: str) -> set[str]:
    env = {**os.environ, "RUGCOACH_HOME": str(home), "NO_COLOR": "1"}
    env.pop("RUGCOACH_DEBUG", None)
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args], env=env, capture_output=True, text=True, check=False
    )
    line = next(x for x in result.stderr.splitlines() if x.startswith("MODULES "))
    return set(line.split()[1:])


def heavy_in(modules: set[str]) -> set[str]:
    return {m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY)}


def test_version_imports_nothing_heavy(home: Path) -> None:
    modules = imported(home, "--version")
    assert not heavy_in(modules)
    assert "rich" not in modules  # nothing is drawn


def test_today_on_a_saved_diary_imports_nothing_heavy(home: Path, runner: CliRunner) -> None:
    assert runner.invoke(app, ["log", "--pain", "3", "--done", "bird-dog"]).exit_code == 0
    imported(home, "today")  # the first run may build the content cache
    modules = imported(home, "today")
    assert not heavy_in(modules), heavy_in(modules)
    json_modules = imported(home, "today", "--json")
    assert not heavy_in(json_modules)
    assert "rich.console" not in json_modules  # JSON needs no drawing


def test_log_on_a_saved_diary_imports_neither_pydantic_nor_yaml(
    home: Path, runner: CliRunner
) -> None:
    """Writing checks the new entry with diary_rules, in plain Python (SPEC §16): no ~100 ms
    of pydantic, nor its plugin discovery, in every `log`."""
    assert runner.invoke(app, ["log", "--pain", "3"]).exit_code == 0
    imported(home, "today")  # the content cache
    modules = imported(home, "log", "--pain", "4", "--note", "ok")
    assert not {m for m in modules if m.split(".")[0] in ("pydantic", "pydantic_core", "yaml")}
    assert len(Store(home).load()["entries"]) == 2


def test_a_stale_content_cache_is_rebuilt(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _saved(home)  # a cache is written only once there is a diary
    sources = content.sources()
    loaded = content.load(sources)
    cache.flush()
    stored = cache.location("content")
    assert stored.exists()
    # A changed content file gives another key: the old cache is not used.
    own = home / "phases.yaml"
    text = (sources[0].path).read_text(encoding="utf-8")
    own.write_text(text.replace("Pain relief and restoring movement", "Rust en beweging", 1))
    fresh = content.load(content.sources())
    assert fresh["phases"]["phases"][0]["name"]["en"] == "Rust en beweging"
    assert loaded["phases"]["phases"][0]["name"]["en"] != "Rust en beweging"


def test_a_damaged_content_cache_is_not_trusted(home: Path) -> None:
    _saved(home)
    content.load()
    cache.flush()
    stored = cache.location("content")
    data = stored.read_bytes()
    # Same header, payload changed by hand: the digest no longer matches.
    tampered = data.replace(
        b"Pain relief and restoring movement", b"Pain relief and resting all day"
    )
    assert tampered != data
    stored.write_bytes(tampered)
    assert content.load()["phases"]["phases"][0]["name"]["en"] == (
        "Pain relief and restoring movement"
    )
    stored.write_bytes(data[: len(data) // 2])  # truncated
    assert content.load()["phases"]["phases"][0]["number"] == 1
    stored.write_bytes(b"\x00" * 100)
    assert len(content.load()["exercises"]["exercises"]) >= 30


def test_a_refused_command_writes_no_cache(home: Path, runner: CliRunner) -> None:
    result = runner.invoke(app, ["log", "--pain", "11"])
    assert result.exit_code == 2
    assert not home.exists()
    result = runner.invoke(app, ["log", "--done", "no-such-exercise"])
    assert result.exit_code == 2
    assert not home.exists()


def _saved(home: Path) -> Store:
    store = Store(home)
    store.update(
        lambda _: {
            "format": "rugcoach-diary",
            "version": __import__("rugcoach.diary.store", fromlist=["store"]).VERSION,
            **_minimal(),
        }  # type: ignore[typeddict-item]
    )
    return store


def _minimal() -> dict[str, object]:
    from rugcoach.diary import edits as diary
    from rugcoach.diary import store as storage

    made = diary.new_diary(start=date(2026, 1, 5), version=storage.VERSION)
    entry = diary.make_entry("abc12345", date(2026, 1, 6), pain=4)
    made = diary.add_entry(made, entry)
    return {k: v for k, v in made.items() if k not in ("format", "version")}


def test_a_sealed_diary_skips_validation_but_an_edited_one_is_checked(home: Path) -> None:
    store = _saved(home)
    data = store.path.read_bytes()
    assert store._sealed(data)
    # Edited by hand (pain 11): the seal no longer matches, so the full check refuses it.
    raw = json.loads(data)
    raw["entries"][0]["pain"] = 11
    store.path.write_text(json.dumps(raw, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert not store._sealed(store.path.read_bytes())
    with pytest.raises(BrokenDiary):
        store.load()


def test_a_forged_seal_for_other_bytes_is_not_trusted(home: Path) -> None:
    store = _saved(home)
    store.seal_path.write_text("rugcoach-diary-v1 " + "0" * 64, encoding="ascii")
    assert not store._sealed(store.path.read_bytes())
    assert store.load()["entries"][0]["pain"] == 4  # still loads, through the full check
