"""Patient-specific activities (PSK / PSFS, SPEC §9): the pure diary operations, the
`activities` commands, and the weekly reminder in `today`.

Scores go into the diary like everything else (SPEC §6): through Store.update with a change
that does not modify its argument, they survive a reload, and a refused command leaves every
file byte-for-byte as it was.
"""

from __future__ import annotations

import copy
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from helpers import export_schema
from helpers.storage_tools import GOLDEN_V1
from rugcoach.cli import activities as cli_activities
from rugcoach.cli.shell import app
from rugcoach.coach import activities
from rugcoach.diary import store as storage
from rugcoach.diary.store import Store

from conftest import TODAY, snapshot
from factories import D0, diary

pytestmark = pytest.mark.usefixtures("fast_content")


def run(runner: CliRunner, *args: str, input: str | None = None) -> Result:
    return runner.invoke(app, list(args), input=input)


def ok(runner: CliRunner, *args: str, input: str | None = None) -> Result:
    result = run(runner, *args, input=input)
    assert result.exit_code == 0, (args, result.stdout, result.stderr, result.exception)
    return result


def refused(runner: CliRunner, home: Path, args: list[str], code: int, *fragments: str) -> None:
    before = snapshot(home)
    result = run(runner, *args)
    assert result.exit_code == code, (args, result.stdout, result.stderr)
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1 and "Traceback" not in message
    for fragment in fragments:
        assert fragment in message, message
    assert result.stdout == ""
    assert snapshot(home) == before


def listed(runner: CliRunner) -> list[dict[str, Any]]:
    return json.loads(ok(runner, "activities", "--json").stdout)  # type: ignore[no-any-return]


@pytest.fixture
def updates(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every Store.update, checking that its change leaves its argument untouched."""
    calls: list[int] = []
    real = Store.update

    def update(self: Store, change: Any, **kwargs: Any) -> Any:
        def checked(current: Any) -> Any:
            before = copy.deepcopy(current)
            result = change(current)
            assert current == before, "a change must not modify the diary it gets"
            return result

        calls.append(1)
        return real(self, checked, **kwargs)

    monkeypatch.setattr(Store, "update", update)
    return calls


@pytest.fixture
def two(runner: CliRunner) -> None:
    ok(runner, "activities", "add", "fietsen naar mijn werk")
    ok(runner, "activities", "add", "Sokken aantrekken 🧦")


# -------------------------------------------------------------------------- pure functions


def test_add_numbers_the_activities_and_does_not_touch_its_argument() -> None:
    d = diary()
    before = copy.deepcopy(d)
    one = activities.add(d, "fietsen", D0)
    assert d == before
    two = activities.add(one, "tuinieren", D0 + timedelta(days=1))
    assert [(a["id"], a["name"], a["added"]) for a in two["activities"]] == [
        ("1", "fietsen", D0.isoformat()),
        ("2", "tuinieren", (D0 + timedelta(days=1)).isoformat()),
    ]
    assert two["entries"] is d["entries"]  # the rest is shared, not copied


def test_rate_keeps_one_score_a_day_in_date_order_and_is_pure() -> None:
    d = activities.add(activities.add(diary(), "a", D0), "b", D0)
    later = activities.rate(d, {"1": 4}, D0 + timedelta(days=7))
    earlier = activities.rate(later, {"1": 2, "2": 0}, D0)
    again = activities.rate(earlier, {"1": 5}, D0 + timedelta(days=7))
    assert [s["score"] for s in again["activities"][0]["scores"]] == [2, 5]
    assert [s["date"] for s in again["activities"][0]["scores"]] == [
        D0.isoformat(),
        (D0 + timedelta(days=7)).isoformat(),
    ]
    assert again["activities"][1] is earlier["activities"][1]  # not rated: the same object
    assert later["activities"][0]["scores"] == [
        {"date": (D0 + timedelta(days=7)).isoformat(), "score": 4}
    ]
    assert d["activities"][0]["scores"] == []


def test_the_change_since_the_first_rating_and_when_it_is_meaningful() -> None:
    d = activities.add(activities.add(activities.add(diary(), "a", D0), "b", D0), "c", D0)
    d = activities.rate(d, {"1": 3, "2": 6, "3": 5}, D0)
    d = activities.rate(d, {"1": 5, "2": 5}, D0 + timedelta(days=14))
    a, b, c = activities.progress(d)
    assert (a.change, a.meaningful, a.direction) == (2, True, "better")
    assert (b.change, b.meaningful, b.direction) == (-1, False, "same")
    assert (c.change, c.meaningful, c.direction) == (None, None, None)  # one rating only
    assert activities.progress_json(a) == {
        "id": "1",
        "name": "a",
        "added": D0.isoformat(),
        "scores": [
            {"date": D0.isoformat(), "score": 3},
            {"date": (D0 + timedelta(days=14)).isoformat(), "score": 5},
        ],
        "first": {"date": D0.isoformat(), "score": 3},
        "latest": {"date": (D0 + timedelta(days=14)).isoformat(), "score": 5},
        "change": 2,
        "meaningful_change": True,
        "direction": "better",
    }
    # Within a period: only its scores count.
    [first_week, *_] = activities.progress(d, last=D0 + timedelta(days=6))
    assert first_week.change is None and first_week.latest == {"date": D0.isoformat(), "score": 3}
    worse = activities.rate(d, {"1": 0}, D0 + timedelta(days=21))
    assert activities.progress(worse)[0].direction == "worse"


@pytest.mark.parametrize(
    ("added", "rated", "day", "due"),
    [
        (None, None, 0, False),  # no activities
        (0, None, 0, True),  # added, never rated
        (0, 0, 0, False),
        (0, 0, 6, False),
        (0, 0, 7, True),  # a week later
        (0, 0, 30, True),
        (5, None, 0, False),  # added after the day asked
        (0, 10, 12, False),
        (0, 10, 8, True),  # a rating after the day asked does not count
    ],
)
def test_rating_due_once_a_week(added: int | None, rated: int | None, day: int, due: bool) -> None:
    d = diary()
    if added is not None:
        d = activities.add(d, "a", D0 + timedelta(days=added))
    if rated is not None:
        d = activities.rate(d, {"1": 5}, D0 + timedelta(days=rated))
    assert activities.rating_due(d, D0 + timedelta(days=day)) is due
    assert activities.rating_due(None, D0) is False


def test_merge_matches_activities_by_name_and_adds_new_ones_while_there_is_room() -> None:
    d = activities.rate(activities.add(diary(), "Fietsen", D0), {"1": 3}, D0)
    incoming = [
        {
            "id": "7",
            "name": "  fietsen ",
            "added": "2026-01-01",
            "scores": [
                {"date": D0.isoformat(), "score": 9},  # the diary's own score wins
                {"date": "2026-04-01", "score": 6},
            ],
        },
        {"id": "1", "name": "tuinieren", "added": "2026-01-01", "scores": []},
    ]
    result = activities.merge(d, incoming)  # type: ignore[arg-type]
    assert (result.added, result.scores) == (1, 1)
    fietsen, tuinieren = result.diary["activities"]
    assert [s["score"] for s in fietsen["scores"]] == [3, 6]
    assert tuinieren["id"] == "2" and tuinieren["name"] == "tuinieren"
    assert activities.merge(result.diary, incoming).added == 0  # idempotent  # type: ignore[arg-type]
    full = diary()
    for n in range(5):
        full = activities.add(full, f"a{n}", D0)
    assert activities.merge(full, incoming[1:]).added == 0  # type: ignore[arg-type]


# ------------------------------------------------------------------------------- commands


def test_add_creates_the_diary_through_store_update_and_survives_a_reload(
    runner: CliRunner, home: Path, updates: list[int]
) -> None:
    result = ok(runner, "activities", "add", "  fietsen   naar mijn werk ")
    assert 'Added activity 1: "fietsen naar mijn werk"' in result.stderr
    assert "--score 1=N" in result.stderr
    assert updates == [1]
    loaded = Store(home).load()
    assert loaded["version"] == storage.VERSION
    assert loaded["activities"] == [
        {"id": "1", "name": "fietsen naar mijn werk", "added": TODAY.isoformat(), "scores": []}
    ]


def test_up_to_five_activities_a_sixth_is_refused(runner: CliRunner, home: Path) -> None:
    for n in range(1, 6):
        ok(runner, "activities", "add", f"activiteit {n}")
    refused(runner, home, ["activities", "add", "nummer zes"], 1, "5 activities", "nothing")
    assert [a["id"] for a in listed(runner)] == ["1", "2", "3", "4", "5"]


def test_the_same_activity_twice_is_refused(runner: CliRunner, home: Path, two: None) -> None:
    refused(runner, home, ["activities", "add", "FIETSEN  naar mijn werk"], 1, "already", "1")


@pytest.mark.parametrize(
    ("name", "fragment"),
    [("   ", "is empty"), ("x" * 201, "201 characters")],
)
def test_a_bad_name_is_exit_2(
    runner: CliRunner, home: Path, two: None, name: str, fragment: str
) -> None:
    refused(runner, home, ["activities", "add", name], 2, fragment)


def test_rate_writes_scores_that_survive_a_reload(
    runner: CliRunner, home: Path, two: None, updates: list[int]
) -> None:
    week_ago = (TODAY - timedelta(days=7)).isoformat()
    result = ok(
        runner, "activities", "rate", "--score", "1=3", "--score", "2=0", "--date", week_ago
    )
    assert "1. fietsen naar mijn werk: 3 (first score)." in result.stderr
    result = ok(runner, "activities", "rate", "--score", "1=6,2=1")
    assert f"first score 3 on {week_ago}: +3 (better)" in result.stderr
    assert "+1 (about the same)" in result.stderr
    assert updates == [1, 1]
    scores = {a["id"]: a["scores"] for a in Store(home).load()["activities"]}
    assert scores == {
        "1": [{"date": week_ago, "score": 3}, {"date": TODAY.isoformat(), "score": 6}],
        "2": [{"date": week_ago, "score": 0}, {"date": TODAY.isoformat(), "score": 1}],
    }
    # Rating again the same day replaces that day's score.
    ok(runner, "activities", "rate", "--score", "2=2")
    assert Store(home).load()["activities"][1]["scores"][-1] == {
        "date": TODAY.isoformat(),
        "score": 2,
    }


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["--score", "1=11"], ["--score 1", "0 to 10", "11"]),
        (["--score", "1=-1"], ["0 to 10"]),
        (["--score", "1=zes"], ["0 to 10", "zes"]),
        (["--score", "1=4.5"], ["0 to 10"]),
        (["--score", "1="], ["0 to 10"]),
        (["--score", "3=5"], ["no activity '3'", "1, 2"]),
        (["--score", "fietsen=5"], ["no activity 'fietsen'"]),
        (["--score", "2=4", "--score", "9=4"], ["no activity '9'"]),
        (["--score", "1"], ["ID=N"]),
        (["--score", "=4"], ["ID=N"]),
        ([], ["--score ID=N"]),
        (["--score", "1=4", "--date", (TODAY + timedelta(days=1)).isoformat()], ["after today"]),
        (["--score", "1=4", "--date", "2026-02-30"], ["not a date"]),
    ],
)
def test_refused_scores_are_exit_2_and_change_nothing(
    runner: CliRunner, home: Path, two: None, args: list[str], fragments: list[str]
) -> None:
    ok(runner, "activities", "rate", "--score", "1=5")
    refused(runner, home, ["activities", "rate", *args], 2, *fragments)


def test_rating_before_any_activity_is_exit_2_and_creates_nothing(
    runner: CliRunner, home: Path
) -> None:
    refused(runner, home, ["activities", "rate", "--score", "1=5"], 2, "no activities yet")
    assert not home.exists()


def test_rate_asks_on_a_terminal(
    runner: CliRunner, home: Path, two: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli_activities, "_interactive", lambda: True)
    result = ok(runner, "activities", "rate", input="11\n7\n\n")
    assert "0 (you cannot do it) to 10" in result.stderr
    assert "must be a whole number from 0 to 10" in result.stderr  # 11: asked again
    scores = [a["scores"] for a in Store(home).load()["activities"]]
    assert scores == [[{"date": TODAY.isoformat(), "score": 7}], []]  # Enter skipped the 2nd


def test_rate_on_a_terminal_with_nothing_answered_writes_nothing(
    runner: CliRunner, home: Path, two: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli_activities, "_interactive", lambda: True)
    before = snapshot(home)
    result = ok(runner, "activities", "rate", input="\n\n")
    assert "nothing was changed" in result.stderr
    assert snapshot(home) == before


def test_the_list_as_json_and_as_a_table(runner: CliRunner, home: Path, two: None) -> None:
    first = (TODAY - timedelta(days=14)).isoformat()
    ok(runner, "activities", "rate", "--score", "1=2", "--score", "2=5", "--date", first)
    ok(runner, "activities", "rate", "--score", "1=4")
    items = listed(runner)
    assert [(a["id"], a["name"]) for a in items] == [
        ("1", "fietsen naar mijn werk"),
        ("2", "Sokken aantrekken 🧦"),
    ]
    assert items[0]["scores"] == [
        {"date": first, "score": 2},
        {"date": TODAY.isoformat(), "score": 4},
    ]
    assert items[0]["change"] == 2 and items[0]["meaningful_change"] is True
    assert items[1]["change"] is None and items[1]["first"] == {"date": first, "score": 5}
    table = ok(runner, "activities").stdout
    assert "fietsen naar mijn werk" in table and "+2 (better)" in table
    assert "2 points or more" in table


def test_the_list_before_any_activity(runner: CliRunner, home: Path) -> None:
    assert listed(runner) == []
    result = ok(runner, "activities")
    assert "rugcoach activities add" in result.stderr
    assert not home.exists()


def test_dutch(runner: CliRunner, home: Path, two: None) -> None:
    result = ok(runner, "--lang", "nl", "activities", "rate", "--score", "1=4")
    assert "(eerste score)" in result.stderr
    assert "eerste score" in ok(runner, "--lang", "nl", "activities").stdout
    refused(
        runner,
        home,
        ["--lang", "nl", "activities", "rate", "--score", "1=12"],
        2,
        "0 tot en met 10",
    )


def test_a_v1_diary_is_migrated_when_the_first_activity_is_added(
    runner: CliRunner, home: Path
) -> None:
    home.mkdir()
    (home / "diary.json").write_bytes(GOLDEN_V1.read_bytes())
    ok(runner, "activities", "add", "fietsen")
    written = json.loads((home / "diary.json").read_bytes())
    golden = json.loads(GOLDEN_V1.read_bytes())
    assert written["version"] == 3
    assert [{k: v for k, v in e.items() if k not in ("utc_offset", "hard", "easy")}
            for e in written["entries"]] == golden["entries"]  # fmt: skip
    assert [a["name"] for a in written["activities"]] == ["fietsen"]
    [kept] = (home / "backups").glob("diary-v1-*.json")
    assert kept.read_bytes() == GOLDEN_V1.read_bytes()


def test_every_other_command_that_writes_keeps_the_activities(
    runner: CliRunner, home: Path, two: None
) -> None:
    ok(runner, "activities", "rate", "--score", "1=4", "--score", "2=7")
    kept = Store(home).load()["activities"]
    ok(runner, "log", "--pain", "3")
    ok(runner, "undo")
    ok(runner, "log", "--pain", "3", "--done", "bird-dog")
    ok(runner, "phase", "set", "2")
    ok(runner, "init", "--screening-cleared")
    ok(runner, "session", "--no-timers", input="q\n")
    assert Store(home).load()["activities"] == kept


# ------------------------------------------------------------------------ today reminds


def test_today_reminds_once_a_week(runner: CliRunner, home: Path) -> None:
    def due() -> bool:
        return json.loads(ok(runner, "today", "--json").stdout)["activities_due"]  # type: ignore[no-any-return]

    assert due() is False  # no activities
    ok(runner, "activities", "add", "fietsen")
    assert due() is True  # never rated
    assert "Time to rate your activities again" in ok(runner, "today").stdout
    ok(runner, "activities", "rate", "--score", "1=4")
    assert due() is False
    assert "Time to rate" not in ok(runner, "today").stdout
    week_ago = (TODAY - timedelta(days=7)).isoformat()
    ok(runner, "activities", "rate", "--score", "1=4", "--date", week_ago)
    in_a_week = (TODAY + timedelta(days=7)).isoformat()
    assert json.loads(ok(runner, "today", "--json", "--date", in_a_week).stdout)["activities_due"]


def test_today_does_not_import_anything_heavy_for_the_reminder() -> None:
    import subprocess
    import sys

    code = (
        "import sys; import rugcoach.coach.activities; "
        "print(sorted(m for m in ('pydantic', 'rich', 'yaml', 'icalendar') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# ------------------------------------------------------------------ summary and exports


@pytest.fixture
def rated(runner: CliRunner) -> tuple[str, str]:
    """Two activities, rated three weeks ago and today; one name with markup in it."""
    ok(runner, "log", "--pain", "4")
    ok(runner, "activities", "add", "fietsen naar mijn werk")
    ok(runner, "activities", "add", "<b>tuinieren</b> & *bukken*")
    then = (TODAY - timedelta(days=21)).isoformat()
    ok(runner, "activities", "rate", "--score", "1=3", "--score", "2=5", "--date", then)
    ok(runner, "activities", "rate", "--score", "1=6", "--score", "2=4")
    return then, TODAY.isoformat()


def export(runner: CliRunner, fmt: str, *args: str) -> str:
    text: str = ok(runner, "export", "--format", fmt, *args).stdout
    if fmt == "json":
        export_schema.check(json.loads(text))  # SPEC §14: every export follows the schema
    return text


def test_the_json_export_holds_the_scores_and_the_change(
    runner: CliRunner, home: Path, rated: tuple[str, str]
) -> None:
    then, now = rated
    data = json.loads(export(runner, "json"))
    first, second = data["activities"]
    assert first["name"] == "fietsen naar mijn werk"
    assert first["scores"] == [{"date": then, "score": 3}, {"date": now, "score": 6}]
    assert (first["change"], first["meaningful_change"]) == (3, True)
    assert (second["change"], second["direction"]) == (-1, "same")
    # --from/--to limit the scores, and the change is over the period's ratings.
    late = json.loads(export(runner, "json", "--from", (TODAY - timedelta(days=3)).isoformat()))
    assert late["activities"][0]["scores"] == [{"date": now, "score": 6}]
    assert late["activities"][0]["change"] is None


def test_json_export_and_import_restore_the_activities(
    runner: CliRunner, home: Path, rated: tuple[str, str], tmp_path: Path, monkeypatch: Any
) -> None:
    out = tmp_path / "export.json"
    ok(runner, "export", "--format", "json", "--output", str(out))
    mine = Store(home).load()["activities"]
    other = tmp_path / "other"
    monkeypatch.setenv("RUGCOACH_HOME", str(other))
    ok(runner, "import", str(out))
    assert Store(other).load()["activities"] == mine  # a new diary: exactly as they were
    # Into a diary that has one of them: matched by name, the new scores merged by date.
    monkeypatch.setenv("RUGCOACH_HOME", str(tmp_path / "third"))
    ok(runner, "activities", "add", "Fietsen naar mijn WERK")
    ok(runner, "activities", "rate", "--score", "1=8")
    result = ok(runner, "import", str(out))
    assert "Activities: 1 added, 3 new scores merged." in result.stderr
    merged = Store(tmp_path / "third").load()["activities"]
    assert [a["name"] for a in merged] == ["Fietsen naar mijn WERK", mine[1]["name"]]
    assert [s["score"] for s in merged[0]["scores"]] == [3, 8]  # its own score of today stays
    assert ok(runner, "import", str(out)).stderr.count("Activities") == 0  # nothing new


def _incoming(**fields: Any) -> dict[str, Any]:
    return {"id": "1", "name": "x", "added": "2026-01-01", "scores": [], **fields}


def _scores(*pairs: tuple[str, int]) -> list[dict[str, Any]]:
    return [{"date": d, "score": n} for d, n in pairs]


@pytest.mark.parametrize(
    ("activity", "field"),
    [
        (_incoming(scores=_scores(("2026-01-02", 11))), "activities[0].scores[0].score"),
        (_incoming(name=""), "activities[0].name"),
        (_incoming(added="2026-02-30"), "activities[0].added"),
        (_incoming(mood=1), "activities[0].mood"),
        (
            _incoming(scores=_scores(("2026-01-02", 2), ("2026-01-02", 3))),
            "activities[0].scores[1].date",
        ),
    ],
)
def test_an_import_with_a_bad_activity_is_refused_whole(
    runner: CliRunner, home: Path, tmp_path: Path, activity: dict[str, Any], field: str
) -> None:
    ok(runner, "log", "--pain", "2")
    path = tmp_path / "bad.json"
    day = (TODAY - timedelta(days=1)).isoformat()
    data = {
        "format": "rugcoach-export",
        "version": 1,
        "entries": [{"id": "new1", "date": day, "pain": 3}],
        "activities": [activity],
    }
    path.write_text(json.dumps(data), encoding="utf-8")
    refused(runner, home, ["import", str(path)], 1, field, "nothing was imported")


def test_md_and_html_show_the_scores_over_time_and_the_change(
    runner: CliRunner, home: Path, rated: tuple[str, str]
) -> None:
    md = export(runner, "md")
    assert "## Activities (patient-specific, PSK/PSFS)" in md
    assert "| fietsen naar mijn werk | 3 (" in md and ") → 6 (" in md
    assert "+3: better (a meaningful change)" in md
    assert "-1: about the same" in md
    assert "<b>" not in md and "&lt;b&gt;tuinieren&lt;/b&gt;" in md and "\\*bukken\\*" in md
    html = export(runner, "html")
    assert "Activities (patient-specific, PSK/PSFS)" in html
    assert "+3: better (a meaningful change)" in html
    assert "<b>tuinieren" not in html and "&lt;b&gt;tuinieren&lt;/b&gt; &amp; *bukken*" in html
    dutch = ok(runner, "--lang", "nl", "export", "--format", "md").stdout
    assert "betekenisvolle verandering" in dutch


def test_md_and_html_without_activities_have_no_such_section(runner: CliRunner, home: Path) -> None:
    ok(runner, "log", "--pain", "4")
    assert "Activities" not in export(runner, "md")
    assert "PSK" not in export(runner, "html")


def test_fhir_has_an_observation_per_score(
    runner: CliRunner, home: Path, rated: tuple[str, str]
) -> None:
    from fhir.resources.R4B.bundle import Bundle

    then, now = rated
    text = export(runner, "fhir")
    Bundle.model_validate_json(text)
    resources = [e["resource"] for e in json.loads(text)["entry"]]
    observations = [r for r in resources if r["resourceType"] == "Observation"]
    scored = [r for r in observations if "PSFS" in r["code"]["text"]]
    assert len(scored) == 4
    cycling = [r for r in scored if r["code"]["text"].endswith(": fietsen naar mijn werk")]
    assert [(r["effectiveDateTime"], r["valueInteger"]) for r in cycling] == [(then, 3), (now, 6)]
    assert all(r["status"] == "final" for r in scored)
    assert "+3 points" in cycling[1]["note"][0]["text"]
    assert len({r["id"] for r in resources}) == len(resources)
    assert text == export(runner, "fhir")  # reproducible


def test_summary_shows_the_activities(
    runner: CliRunner, home: Path, rated: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # one table row a line
    text = ok(runner, "summary").stdout
    assert "Activities (patient-specific, PSK/PSFS)" in text
    assert "fietsen naar mijn werk" in text and "+3: better" in text
    data = json.loads(ok(runner, "summary", "--json").stdout)
    assert [a["change"] for a in data["activities"]] == [3, -1]
    short = json.loads(ok(runner, "summary", "--json", "--weeks", "1").stdout)
    assert short["activities"][0]["scores"] == [{"date": TODAY.isoformat(), "score": 6}]
