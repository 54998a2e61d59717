"""`export --format json` and `import` (SPEC §3, §7): the shape, lossless round trips into an
empty home, idempotent merges, refused files that leave everything as it was, and an
`--output` file that is whole or not written at all.
"""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from helpers import export_schema
from test_cli_diary import (  # the shared helpers, and the fixture that caches the content
    ENTRY_KEYS,
    RTL_EMOJI_NOTE,
    TODAY,
    entries,
    fast_content,  # noqa: F401 - an autouse fixture, active here by being imported
    history_json,
    log,
    ok,
    refused,
    run,
)

from conftest import snapshot


@pytest.fixture
def other_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A second, empty RUGCOACH_HOME; call `use(folder)` to switch to it."""
    return tmp_path / "other-home"


def use(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    monkeypatch.setenv("RUGCOACH_HOME", str(folder))


def export_json(runner: CliRunner, *args: str) -> dict[str, Any]:
    result = ok(runner, "export", "--format", "json", *args)
    data: dict[str, Any] = export_schema.check(json.loads(result.stdout))
    return data


@pytest.fixture
def three(runner: CliRunner, home: Path) -> list[str]:
    """A diary with three varied entries; their ids in the order written."""
    return [
        log(runner, "--date", "yesterday", "--pain", "5", "--stiffness", "40"),
        log(
            runner,
            "--pain",
            "3",
            "--exercise-pain",
            "2",
            "--walk",
            "25",
            "--time",
            "07:45",
            "--done",
            "bird-dog,cat-camel",
            "--symptom",
            "uitstraling",
            "--note",
            RTL_EMOJI_NOTE,
        ),
        log(runner, "--note", 'quotes " and \\ backslash\nand a new line'),
    ]


# ------------------------------------------------------------------------------- export


def test_export_json_has_the_shape_of_spec_section_7(
    runner: CliRunner, home: Path, three: list[str]
) -> None:
    data = export_json(runner)
    assert data["format"] == "rugcoach-export"
    assert data["version"] == 1
    for key in ("profile", "phases", "entries", "summary", "disclaimer"):
        assert key in data
    assert "diagnosis" in data["disclaimer"]
    assert data["profile"]["profile"] == "general"
    assert data["phases"][0]["number"] == 1
    assert all(list(e) == ENTRY_KEYS for e in data["entries"])
    by_id = {e["id"]: e for e in data["entries"]}
    assert set(by_id) == set(three)
    only_note = by_id[three[2]]
    # Logged for today without --time: the clock time, and its offset, are kept.
    assert only_note["pain"] is None and only_note["time"] and only_note["utc_offset"]
    assert only_note["done"] == [] and only_note["symptoms"] == []
    full = by_id[three[1]]
    assert full["done"] == ["bird-dog", "cat-camel"]
    assert full["symptoms"] == ["radiating-leg-pain"]
    assert full["note"] == RTL_EMOJI_NOTE
    assert data["summary"]["entries"] == 3


def test_export_before_any_diary_creates_nothing(runner: CliRunner, home: Path) -> None:
    data = export_json(runner)
    assert data["entries"] == []
    assert not home.exists()


def test_export_from_and_to_limit_the_entries(
    runner: CliRunner, home: Path, three: list[str]
) -> None:
    data = export_json(runner, "--from", "today", "--to", "today")
    assert {e["id"] for e in data["entries"]} == set(three[1:])
    data = export_json(runner, "--to", "yesterday")
    assert [e["id"] for e in data["entries"]] == [three[0]]


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["--format", "xml"], ["'xml'", "json"]),
        (["--format", "jsno"], ["Did you mean 'json'"]),
        (["--from", "today", "--to", "yesterday"], ["--from", "--to"]),
        (["--from", "2026-02-30"], ["--from", "2026-02-30"]),
        (["--to", "someday"], ["--to", "someday"]),
    ],
)
def test_export_refuses_bad_options(
    runner: CliRunner, home: Path, three: list[str], args: list[str], fragments: list[str]
) -> None:
    refused(runner, home, ["export", *args], 2, *fragments)


# ------------------------------------------------------------------------ export --output


def test_export_output_writes_the_file_atomically(
    runner: CliRunner, home: Path, three: list[str], tmp_path: Path
) -> None:
    out = tmp_path / "out" / "export.json"
    out.parent.mkdir()
    result = ok(runner, "export", "--format", "json", "--output", str(out))
    assert result.stdout == ""
    assert str(out) in result.stderr
    written = json.loads(out.read_text(encoding="utf-8"))
    assert written == export_json(runner)
    assert sorted(p.name for p in out.parent.iterdir()) == ["export.json"]  # no temp left
    assert out.stat().st_mode & 0o777 == 0o600  # health data: private to its owner


def test_export_output_replaces_an_existing_file_only_on_success(
    runner: CliRunner, home: Path, three: list[str], tmp_path: Path
) -> None:
    out = tmp_path / "export.json"
    out.write_bytes(b"old contents")
    # A failing export (a broken diary) leaves the old file exactly as it was.
    diary = (home / "diary.json").read_bytes()
    (home / "diary.json").write_bytes(b"{")
    result = run(runner, "export", "--output", str(out))
    assert result.exit_code == 1
    assert out.read_bytes() == b"old contents"
    (home / "diary.json").write_bytes(diary)
    ok(runner, "export", "--output", str(out))
    assert json.loads(out.read_bytes())["format"] == "rugcoach-export"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".export")] == []


def test_export_output_failing_disk_step_keeps_the_old_file(
    runner: CliRunner,
    home: Path,
    three: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "export.json"
    out.write_bytes(b"old contents")

    def no_space(*args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", no_space)
    result = run(runner, "export", "--output", str(out))
    assert result.exit_code == 1
    assert "No space left on device" in result.stderr
    assert str(out) in result.stderr
    assert "Traceback" not in result.stderr
    assert out.read_bytes() == b"old contents"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.json", "home"]


@pytest.mark.parametrize("points_at", ["elsewhere", "nothing", "profile"])
def test_export_output_never_follows_a_symlink(
    runner: CliRunner, home: Path, three: list[str], tmp_path: Path, points_at: str
) -> None:
    """Another user planted a link at the name the person gave (SPEC §13)."""
    shared = tmp_path / "shared"
    shared.mkdir()
    attacker = tmp_path / "attacker"
    attacker.mkdir()
    target = {
        "elsewhere": attacker / "loot.html",
        "nothing": attacker / "missing.html",
        "profile": tmp_path / ".profile",
    }[points_at]
    if points_at != "nothing":
        target.write_bytes(b"theirs")
    link = shared / "report.html"
    link.symlink_to(target)
    message = refused(
        runner, home, ["export", "--format", "html", "--output", str(link)], 1, str(link), "link"
    )
    assert "Nothing was written" in message
    assert link.is_symlink()
    assert target.read_bytes() == b"theirs" if points_at != "nothing" else not target.exists()
    assert sorted(p.name for p in shared.iterdir()) == ["report.html"]


def test_export_output_never_replaces_another_users_file(
    runner: CliRunner, home: Path, three: list[str], tmp_path: Path
) -> None:
    theirs = tmp_path / "report.json"
    theirs.write_bytes(b"theirs")
    os.chown(theirs, 12345, 12345)
    refused(runner, home, ["export", "--output", str(theirs)], 1, str(theirs), "another user")
    assert theirs.read_bytes() == b"theirs"
    assert theirs.stat().st_uid == 12345


@pytest.mark.parametrize("umask", [0o000, 0o022])
def test_export_output_is_0600_whatever_it_replaces(
    runner: CliRunner, home: Path, three: list[str], tmp_path: Path, umask: int
) -> None:
    out = tmp_path / "report.json"
    out.write_bytes(b"old")
    out.chmod(0o666)
    fresh = tmp_path / "new.json"
    old = os.umask(umask)
    try:
        ok(runner, "export", "--output", str(out))
        ok(runner, "export", "--output", str(fresh))
    finally:
        os.umask(old)
    for path in (out, fresh):
        assert path.stat().st_mode & 0o777 == 0o600
        assert json.loads(path.read_bytes())["format"] == "rugcoach-export"


def test_export_output_refuses_a_fifo(
    runner: CliRunner, home: Path, three: list[str], tmp_path: Path
) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    refused(runner, home, ["export", "--output", str(fifo)], 1, "not a regular file")


READ_BY_RUGCOACH = [
    "phases.yaml",
    "exercises.yaml",
    "coaching.yaml",
    "programme.yaml",
    "diary (conflicted copy 2026-01-02).json",
    "diary.sync-conflict-20260102-101010-ABCDEFG.json",
    "Diary 2.json",
    "backups/diary-new.json",
    "cache/content.json",
]


@pytest.mark.parametrize("exists", [False, True], ids=["missing", "present"])
@pytest.mark.parametrize("name", READ_BY_RUGCOACH)
def test_export_output_never_replaces_a_file_rugcoach_reads(
    runner: CliRunner, home: Path, three: list[str], name: str, exists: bool
) -> None:
    target = home / name
    target.parent.mkdir(mode=0o700, exist_ok=True)
    if exists:
        target.write_bytes(b"read by rugcoach")
    refused(runner, home, ["export", "--format", "md", "--output", str(target)], 1, "--output")
    assert target.read_bytes() == b"read by rugcoach" if exists else not target.exists()


def test_export_output_through_a_link_to_the_home_is_still_refused(
    runner: CliRunner, home: Path, three: list[str], tmp_path: Path
) -> None:
    alias = tmp_path / "alias"
    alias.symlink_to(home)
    refused(runner, home, ["export", "--output", str(alias / "phases.yaml")], 1, "--output")
    refused(runner, home, ["export", "--output", str(alias / "diary.json")], 1, "--output")


def test_export_output_to_a_missing_folder_is_refused(
    runner: CliRunner, home: Path, three: list[str], tmp_path: Path
) -> None:
    out = tmp_path / "no-such-folder" / "export.json"
    refused(runner, home, ["export", "--output", str(out)], 1, "no-such-folder", "does not exist")
    assert not out.parent.exists()
    refused(runner, home, ["--lang", "nl", "export", "-o", str(out)], 1, "bestaat niet", "--output")


def test_export_output_to_a_folder_is_refused(
    runner: CliRunner, home: Path, three: list[str], tmp_path: Path
) -> None:
    refused(runner, home, ["export", "--output", str(tmp_path)], 1, "folder")


@pytest.mark.parametrize("name", ["diary.json", "diary.json.lock"])
def test_export_never_replaces_the_diary_itself(
    runner: CliRunner, home: Path, three: list[str], name: str
) -> None:
    refused(runner, home, ["export", "--output", str(home / name)], 1, "--output")
    assert len(entries(home)) == 3


def test_export_output_dash_is_standard_output(
    runner: CliRunner, home: Path, three: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = ok(runner, "export", "--output", "-")
    assert json.loads(result.stdout)["format"] == "rugcoach-export"
    assert not (tmp_path / "-").exists()


# ---------------------------------------------------------------------------- round trips


def test_export_then_import_into_an_empty_home_reproduces_the_diary(
    runner: CliRunner,
    home: Path,
    three: list[str],
    other_home: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ok(runner, "init", "--force", "--profile", "nerve", "--goal", "fietsen 🚲", "--lang", "nl")
    kept = [
        log(runner, "--pain", "4", "--note", RTL_EMOJI_NOTE, "--done", "bird-dog,dead-bug"),
        log(runner, "--date", "yesterday", "--walk", "600", "--stiffness", "1440"),
    ]
    out = tmp_path / "export.json"
    ok(runner, "export", "--format", "json", "--output", str(out))
    original = json.loads((home / "diary.json").read_text(encoding="utf-8"))

    use(monkeypatch, other_home)
    result = ok(runner, "import", str(out))
    # The restored profile speaks Dutch, and its language outranks the locale (SPEC §3).
    assert "2 regels geïmporteerd (0 stonden er al)" in result.stderr
    restored = json.loads((other_home / "diary.json").read_text(encoding="utf-8"))

    def by_id(diary: dict[str, Any]) -> list[dict[str, Any]]:
        return sorted(diary["entries"], key=lambda e: e["id"])

    assert by_id(restored) == by_id(original)  # every id and every value
    assert sorted(e["id"] for e in restored["entries"]) == sorted(kept)
    assert restored["profile"] == original["profile"]
    assert restored["phases"] == original["phases"]

    # Importing again adds nothing and does not even rewrite the file.
    before = snapshot(other_home)
    result = ok(runner, "import", str(out))
    assert "0 regels geïmporteerd (2 stonden er al)" in result.stderr  # the profile's language
    assert snapshot(other_home) == before


def test_import_merges_by_id_into_an_existing_diary(
    runner: CliRunner,
    home: Path,
    three: list[str],
    tmp_path: Path,
    other_home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "mine.json"
    ok(runner, "export", "--output", str(out))
    use(monkeypatch, other_home)
    theirs = log(runner, "--pain", "6")
    ok(runner, "import", str(out))
    ids = [e["id"] for e in entries(other_home)]
    assert ids[0] == theirs
    assert sorted(ids[1:]) == sorted(three)
    # The new machine's profile is kept; only entries are merged.
    assert json.loads((other_home / "diary.json").read_bytes())["profile"]["start_date"] == (
        TODAY.isoformat()
    )
    ok(runner, "import", str(out))
    assert [e["id"] for e in entries(other_home)] == ids


def test_import_of_a_minimal_file(runner: CliRunner, home: Path, tmp_path: Path) -> None:
    day = (TODAY - timedelta(days=4)).isoformat()
    minimal = {
        "format": "rugcoach-export",
        "version": 1,
        "entries": [
            {
                "id": "abc12345",
                "date": day,
                "time": "09:15",
                "utc_offset": "+01:00",
                "pain": 6,
                "exercise_pain": None,
                "stiffness_minutes": None,
                "walk_minutes": 12,
                "done": ["walking"],
                "hard": [],
                "easy": [],
                "symptoms": [],
                "note": "van papier overgenomen",
            },
            # Measures that are not noted may be left out of a hand-made file.
            {"id": "only-date-and-pain", "date": day, "pain": 2},
        ],
    }
    path = tmp_path / "minimal.json"
    path.write_text(json.dumps(minimal), encoding="utf-8")
    ok(runner, "import", str(path))
    diary = json.loads((home / "diary.json").read_bytes())
    assert diary["entries"][0] == minimal["entries"][0]
    assert diary["entries"][1] == {
        "id": "only-date-and-pain",
        "date": day,
        "time": None,
        "utc_offset": None,
        "pain": 2,
        "exercise_pain": None,
        "stiffness_minutes": None,
        "walk_minutes": None,
        "done": [],
        "hard": [],
        "easy": [],
        "symptoms": [],
        "note": None,
    }
    # A diary made by import starts on its earliest entry, with the default profile.
    assert diary["profile"]["start_date"] == day
    assert diary["profile"]["profile"] == "general"
    assert diary["phases"][0]["number"] == 1
    # history lists a day's entries without a time first.
    assert [e["id"] for e in history_json(runner)] == ["only-date-and-pain", "abc12345"]


def test_import_with_no_entries_into_an_empty_home_creates_the_diary(
    runner: CliRunner, home: Path, tmp_path: Path
) -> None:
    path = tmp_path / "empty.json"
    path.write_text('{"format": "rugcoach-export", "version": 1, "entries": []}')
    ok(runner, "import", str(path))
    assert entries(home) == []


def test_import_accepts_a_byte_order_mark(runner: CliRunner, home: Path, tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    data = {"format": "rugcoach-export", "version": 1, "entries": []}
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(data).encode())
    ok(runner, "import", str(path))


def test_import_merges_a_sync_conflict_copy_of_the_diary(
    runner: CliRunner, home: Path, three: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """SPEC §6: conflict copies are reported, and `import` can merge them by id."""
    copy = home / "diary (conflicted copy 2026-01-02).json"
    diary = json.loads((home / "diary.json").read_bytes())
    extra = dict(diary["entries"][0], id="fromphone", pain=8)
    diary["entries"].append(extra)
    copy.write_text(json.dumps(diary), encoding="utf-8")
    result = ok(runner, "log", "--pain", "1")
    assert "conflicted copy" in result.stderr  # reported
    copy_bytes = copy.read_bytes()
    ok(runner, "import", str(copy))
    merged = entries(home)
    assert [e["id"] for e in merged][:3] == three
    assert merged[-1] == extra
    assert len(merged) == 5
    assert copy.read_bytes() == copy_bytes  # never touched


# -------------------------------------------------------------------------- broken files


def _export(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "format": "rugcoach-export",
        "version": 1,
        "entries": [
            {
                "id": "e1",
                "date": "2026-01-05",
                "time": None,
                "pain": 3,
                "exercise_pain": None,
                "stiffness_minutes": None,
                "walk_minutes": None,
                "done": [],
                "symptoms": [],
                "note": None,
            }
        ],
    }
    data.update(changes)
    return data


def _entry(**changes: Any) -> list[dict[str, Any]]:
    return [{**_export()["entries"][0], **changes}]


BROKEN_FILES: dict[str, tuple[bytes | None, list[str]]] = {
    "not-json": (b"this is not json", ["not valid JSON"]),
    "truncated": (json.dumps(_export()).encode()[:-5], ["not valid JSON"]),
    "empty": (b"", ["not valid JSON"]),
    "not-utf8": (b'{"format": "\xff"}', ["UTF-8"]),
    "a-list": (b"[]", ["not a rugcoach JSON export"]),
    "wrong-format": (json.dumps(_export(format="other")).encode(), ["not a rugcoach JSON export"]),
    "no-format": (b'{"version": 1, "entries": []}', ["not a rugcoach JSON export"]),
    "newer-version": (json.dumps(_export(version=2)).encode(), ["version 2", "update"]),
    "version-text": (json.dumps(_export(version="1")).encode(), ["version"]),
    "version-true": (json.dumps(_export(version=True)).encode(), ["version"]),
    "version-zero": (json.dumps(_export(version=0)).encode(), ["version"]),
    "no-entries": (b'{"format": "rugcoach-export", "version": 1}', ["no list of entries"]),
    "entries-object": (json.dumps(_export(entries={})).encode(), ["no list of entries"]),
    "pain-11": (json.dumps(_export(entries=_entry(pain=11))).encode(), ["entries[0].pain", "11"]),
    "pain-true": (json.dumps(_export(entries=_entry(pain=True))).encode(), ["entries[0].pain"]),
    "pain-text": (json.dumps(_export(entries=_entry(pain="4"))).encode(), ["entries[0].pain"]),
    "walk-negative": (
        json.dumps(_export(entries=_entry(walk_minutes=-1))).encode(),
        ["entries[0].walk_minutes"],
    ),
    "unknown-key": (
        json.dumps(_export(entries=_entry(mood="good"))).encode(),
        ["entries[0].mood", "unknown"],
    ),
    "no-id": (
        json.dumps(_export(entries=[{"date": "2026-01-05", "pain": 1}])).encode(),
        ["entries[0].id", "missing"],
    ),
    "empty-id": (json.dumps(_export(entries=_entry(id=""))).encode(), ["entries[0].id"]),
    "duplicate-ids": (
        json.dumps(_export(entries=_entry() + _entry(pain=5))).encode(),
        ["entries[1].id", "used twice"],
    ),
    "bad-date": (
        json.dumps(_export(entries=_entry(date="2026-02-30"))).encode(),
        ["entries[0].date", "YYYY-MM-DD"],
    ),
    "bad-time": (json.dumps(_export(entries=_entry(time="24:00"))).encode(), ["entries[0].time"]),
    "long-note": (json.dumps(_export(entries=_entry(note="x" * 2001))).encode(), ["note"]),
    "surrogate": (
        json.dumps(_export(entries=_entry(note="\ud800"))).encode(),
        ["entries[0].note", "Unicode"],
    ),
    "duplicate-key": (
        b'{"format": "rugcoach-export", "version": 1, "entries": [], "entries": []}',
        ["entries", "twice"],
    ),
    "bad-profile": (json.dumps(_export(profile={"profile": "x"})).encode(), ["profile"]),
    "bad-phases": (
        json.dumps(_export(phases=[{"number": 7, "start": "2026-01-01", "how": "init"}])).encode(),
        ["phases[0].number"],
    ),
    "entry-not-object": (json.dumps(_export(entries=["e1"])).encode(), ["entries[0]"]),
    # What `log` refuses, import refuses too (SPEC §13).
    "date-in-9999": (
        json.dumps(_export(entries=_entry(date="9999-01-01"))).encode(),
        ["entries[0].date", "after today"],
    ),
    "id-with-nul": (json.dumps(_export(entries=_entry(id="a\x00b"))).encode(), ["control"]),
    "id-with-esc": (
        json.dumps(_export(entries=_entry(id="\x1b[2J"))).encode(),
        ["entries[0].id", "control"],
    ),
    "done-with-bidi": (
        json.dumps(_export(entries=_entry(done=["walk\u202e"]))).encode(),
        ["entries[0].done[0]", "control"],
    ),
    "pain-whole-float": (json.dumps(_export(entries=_entry(pain=4.0))).encode(), ["pain"]),
    "huge-number": (
        json.dumps(_export()).replace('"pain": 3', '"pain": ' + "9" * 5000).encode(),
        ["too long"],
    ),
    "activity-in-the-future": (
        json.dumps(
            _export(activities=[{"id": "1", "name": "x", "added": "9999-01-01", "scores": []}])
        ).encode(),
        ["activities[0].added", "after today"],
    ),
    "a-directory": (None, ["not a regular file"]),
    "missing": (None, ["no file"]),
}


@pytest.mark.parametrize("name", sorted(BROKEN_FILES))
@pytest.mark.parametrize("with_diary", [False, True], ids=["empty-home", "diary"])
def test_import_refuses_a_broken_file_and_writes_nothing(
    runner: CliRunner, home: Path, tmp_path: Path, name: str, with_diary: bool
) -> None:
    data, fragments = BROKEN_FILES[name]
    path = tmp_path / f"{name}.json"
    if name == "a-directory":
        path.mkdir()
    elif data is not None:
        path.write_bytes(data)
    if with_diary:
        log(runner, "--pain", "2")
    message = refused(runner, home, ["import", str(path)], 1, str(path), *fragments)
    assert "nothing was imported" in message.lower() or name == "missing"
    if not with_diary:
        assert not home.exists()


def test_import_refusal_in_dutch(runner: CliRunner, home: Path, tmp_path: Path) -> None:
    path = tmp_path / "pain.json"
    path.write_text(json.dumps(_export(entries=_entry(pain=11))), encoding="utf-8")
    message = refused(runner, home, ["--lang", "nl", "import", str(path)], 1)
    assert "klopt niet bij entries[0].pain" in message
    assert "er is niets geïmporteerd" in message
    refused(
        runner, home, ["--lang", "nl", "import", str(tmp_path / "nope.json")], 1, "bestaat niet"
    )


def test_import_with_a_broken_diary_writes_nothing(
    runner: CliRunner, home: Path, tmp_path: Path
) -> None:
    path = tmp_path / "ok.json"
    path.write_text(json.dumps(_export()), encoding="utf-8")
    home.mkdir(mode=0o700)
    (home / "diary.json").write_bytes(b"{")
    refused(runner, home, ["import", str(path)], 1, str(home / "diary.json"))


# ------------------------------------------------------------------- property: round trip

notes = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=300
).filter(lambda s: s.strip() != "")


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    note=notes,
    pain=st.none() | st.integers(0, 10),
    walk=st.none() | st.integers(0, 600),
    days_ago=st.integers(0, 400),
)
def test_any_entry_round_trips_through_log_export_and_import(
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    note: str,
    pain: int | None,
    walk: int | None,
    days_ago: int,
) -> None:
    import tempfile

    with tempfile.TemporaryDirectory(dir=tmp_path) as scratch:
        first, second = Path(scratch) / "a", Path(scratch) / "b"
        use(monkeypatch, first)
        args = [f"--note={note}", "--date", (TODAY - timedelta(days=days_ago)).isoformat()]
        args += ["--pain", str(pain)] if pain is not None else []
        args += ["--walk", str(walk)] if walk is not None else []
        entry_id = log(runner, *args)
        exported = ok(runner, "export", "--format", "json").stdout
        export_schema.check(json.loads(exported))  # any note still follows the schema
        out = Path(scratch) / "export.json"
        out.write_text(exported, encoding="utf-8")
        use(monkeypatch, second)
        ok(runner, "import", str(out))
        (restored,) = entries(second)
        assert restored == entries(first)[0]
        assert restored["id"] == entry_id
        assert restored["note"] == note
        assert (restored["pain"], restored["walk_minutes"]) == (pain, walk)


@pytest.mark.parametrize("limit", ["entries", "bytes"])
def test_import_refuses_a_file_over_the_caps(
    runner: CliRunner,
    home: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    limit: str,
) -> None:
    from rugcoach.diary import rules as diary_rules

    entries = [{**_entry()[0], "id": f"e{n}"} for n in range(4)]
    path = tmp_path / "big.json"
    path.write_text(json.dumps(_export(entries=entries)), encoding="utf-8")
    if limit == "entries":
        monkeypatch.setattr(diary_rules, "MAX_ENTRIES", 3)
        refused(runner, home, ["import", str(path)], 1, str(path), "more than 3 entries")
        # ...and a diary that an import would grow past the cap.
        monkeypatch.setattr(diary_rules, "MAX_ENTRIES", 5)
        log(runner, "--pain", "2")
        log(runner, "--pain", "3")
        refused(runner, home, ["import", str(path)], 1, "more than 5 entries")
    else:
        monkeypatch.setattr(diary_rules, "MAX_IMPORT_BYTES", 100)
        refused(runner, home, ["import", str(path)], 1, str(path), "too large")
