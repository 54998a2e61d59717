"""`Store.append` and the index of a sealed diary (diary/layout.py, SPEC §16).

`log` on a long diary splices its line in after the old ones without parsing them, and
`today` reads only the months its rules look at. Both trust an index kept next to the
seal; these tests pin that what they read and write is exactly what reading and writing
the whole diary would give, whatever the order of the entries, the warning signs, or the
state of the index.
"""

from __future__ import annotations

import random
from collections.abc import Container
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rugcoach.diary import codec, layout
from rugcoach.diary import store as storage
from rugcoach.diary.store import Store
from rugcoach.errors import RugcoachError
from rugcoach.schema import Diary, Entry

from factories import diary, entry

START = date(2020, 1, 6)


def _window(day: date, days: int = 40) -> Any:
    def spans(head: Diary) -> list[tuple[str, str]]:
        first = date.fromisoformat(head["profile"]["start_date"])
        return [
            ((day - timedelta(days=days)).isoformat(), day.isoformat()),
            (first.isoformat(), (first + timedelta(days=days)).isoformat()),
        ]

    return spans


def _expected(whole: Diary, spans: list[tuple[str, str]]) -> list[Entry]:
    return [
        e
        for e in whole["entries"]
        if e["symptoms"] or any(lo <= e["date"] <= hi for lo, hi in spans)
    ]


def _maker(made: Entry) -> Any:
    def make(_current: Diary, taken: Container[str]) -> Entry:
        assert made["id"] not in taken
        return made

    return make


def _seeded(home: Path, rng: random.Random, count: int) -> Store:
    entries = [
        entry(
            START + timedelta(days=rng.randrange(0, 900)),
            pain=rng.randint(0, 10),
            symptoms=["numbness"] if rng.random() < 0.05 else [],
            note=rng.choice([None, "gaat goed", '"quoted" ]\n{', "é😀"]),
        )
        for _ in range(count)
    ]
    store = Store(home)
    store.update(lambda _: diary(entries, start=START))
    return store


def _index_on_disk(store: Store) -> layout.Index | None:
    _seal, _, text = store.seal_path.read_text(encoding="ascii").partition("\n")
    return layout.Index.parse(text)


# ------------------------------------------------------------------------- properties


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), steps=st.lists(st.sampled_from("aaaasdw"), max_size=12))
def test_append_and_window_read_what_the_whole_diary_holds(
    tmp_path_factory: pytest.TempPathFactory, seed: int, steps: list[str]
) -> None:
    """Random diaries in any date order, then appends (some far in the past, some with a
    warning sign), deletions (a full write) and window reads: every append writes the
    bytes a full write of the same diary would, the index it keeps is the index of those
    bytes, and every window holds exactly the entries of the whole diary in its spans and
    every entry with a sign, in the order of the file."""
    rng = random.Random(seed)
    home = tmp_path_factory.mktemp("home")
    store = _seeded(home, rng, rng.randint(1, 60))
    for step in steps:
        day = START + timedelta(days=rng.randrange(0, 1000))
        if step == "a":
            made = entry(day, pain=rng.randint(0, 10), symptoms=rng.choice([[], [], ["fever"]]))
            before, after, got = store.append(_maker(made), _window(day))
            assert got == made and after["entries"][-1] == made
            assert after["entries"][:-1] == before["entries"]
        elif step == "d":
            victim = rng.choice(store.load()["entries"])["id"]
            store.update(
                lambda d, v=victim: {**d, "entries": [e for e in d["entries"] if e["id"] != v]},
                removing=[victim],
            )
        elif step == "s":
            store.seal_path.unlink(missing_ok=True)  # the cache cleared: the next write reseals
        data = store.path.read_bytes()
        whole = store.load()
        assert data == storage._dump(whole)
        if store.seal_path.exists():
            assert _index_on_disk(store) == layout.Index.of(data)
        spans = _window(day)(whole)
        part = Store(home).load_window(_window(day))
        assert part["entries"] == _expected(whole, spans)
        assert {**part, "entries": []} == {**whole, "entries": []}


# ------------------------------------------------------------------------------ cases


def test_append_on_a_sealed_diary_parses_no_old_entry(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = _seeded(home, random.Random(1), 300)
    old = store.path.read_bytes()

    def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("the whole diary was parsed")

    monkeypatch.setattr(codec, "parse", refuse)
    monkeypatch.setattr(storage, "_check_change", refuse)
    made = entry(START + timedelta(days=950), pain=4)
    before, _after, _ = Store(home).append(_maker(made), _window(START + timedelta(days=950)))
    monkeypatch.undo()
    assert len(before["entries"]) < 300  # the window, not the whole diary
    whole = store.load()
    assert whole["entries"][-1] == made
    assert storage._dump(whole) == store.path.read_bytes()
    assert store.path.read_bytes().startswith(old[: old.rindex(b"\n ]")])


def test_append_without_a_seal_reads_and_checks_everything(home: Path) -> None:
    store = _seeded(home, random.Random(2), 50)
    store.seal_path.unlink()
    made = entry(START + timedelta(days=10), pain=2)
    before, after, _ = Store(home).append(_maker(made), _window(START))
    assert len(before["entries"]) == 50  # the whole diary: it was parsed anyway
    assert after["entries"][-1] == made
    assert _index_on_disk(store) == layout.Index.of(store.path.read_bytes())


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text.replace('"months":{"2020-01":[0,', '"months":{"2020-01":[1,'),
        lambda text: text[:-20],
        lambda text: text.split("\n")[0] + "\n",
        lambda text: text.split("\n")[0] + "\nnot an index\n",
    ],
)
def test_a_damaged_index_is_never_trusted(home: Path, damage: Any) -> None:
    store = _seeded(home, random.Random(3), 200)
    store.seal_path.write_text(damage(store.seal_path.read_text()), encoding="ascii")
    day = START + timedelta(days=20)
    whole = store.load()
    assert Store(home).load_window(_window(day))["entries"] == _expected(whole, _window(day)(whole))
    made = entry(day, symptoms=["fever"])
    Store(home).append(_maker(made), _window(day))
    data = store.path.read_bytes()
    assert data == storage._dump(store.load())
    assert _index_on_disk(store) == layout.Index.of(data)


def test_an_index_that_does_not_fit_the_lines_is_not_used(home: Path) -> None:
    """An index with a good checksum of its own but spans that do not start and end at
    entry lines (a bug, never damage) is set aside: the window reads every line."""
    store = _seeded(home, random.Random(4), 120)
    seal, _, text = store.seal_path.read_text(encoding="ascii").partition("\n")
    index = layout.Index.parse(text)
    assert index is not None
    shifted = {m: (lo + 3, hi) for m, (lo, hi) in index.months.items()}
    bad = layout.Index(index.length, shifted, index.signs)
    store.seal_path.write_text(f"{seal}\n{bad.text()}\n", encoding="ascii")
    whole = store.load()
    day = START + timedelta(days=500)
    part = Store(home).load_window(_window(day))
    assert part["entries"] == _expected(whole, _window(day)(whole))


def test_a_sign_noted_long_ago_stays_in_every_window(home: Path) -> None:
    store = Store(home)
    store.update(lambda _: diary([entry(START + timedelta(days=d)) for d in range(400)]))
    long_ago = entry(START + timedelta(days=3), symptoms=["saddle_numbness"])
    Store(home).append(_maker(long_ago), _window(START + timedelta(days=3)))
    for _ in range(3):
        later = START + timedelta(days=390)
        Store(home).append(_maker(entry(later, pain=3)), _window(later))
    part = Store(home).load_window(_window(START + timedelta(days=399), days=5))
    assert long_ago in part["entries"]
    assert all(
        e["symptoms"] or e["date"] >= (START + timedelta(days=394)).isoformat()
        for e in part["entries"]
    )


def test_an_id_already_in_the_diary_is_refused_and_nothing_changes(home: Path) -> None:
    store = _seeded(home, random.Random(6), 40)
    taken = store.load()["entries"][7]
    before = store.path.read_bytes()

    def make(_current: Diary, ids: Container[str]) -> Entry:
        assert taken["id"] in ids and "nope-not-there" not in ids
        return {**entry(START), "id": taken["id"]}

    with pytest.raises(RugcoachError) as refused:
        Store(home).append(make, _window(START))
    assert taken["id"] in refused.value.message
    assert store.path.read_bytes() == before


def test_an_invalid_entry_is_refused_and_nothing_changes(home: Path) -> None:
    store = _seeded(home, random.Random(7), 40)
    before = store.path.read_bytes()
    bad: Any = {**entry(START, pain=3), "pain": 11}
    with pytest.raises(RugcoachError):
        Store(home).append(_maker(bad), _window(START))
    assert store.path.read_bytes() == before


def test_append_to_no_diary_is_no_diary(home: Path) -> None:
    with pytest.raises(storage.NoDiary):
        Store(home).append(_maker(entry(START)), _window(START))
    assert not home.exists()


def test_a_writer_that_was_first_keeps_its_entry(home: Path) -> None:
    """Another rugcoach saves between this one's read and its lock: the entry is made
    again on that diary, so both land."""
    store = _seeded(home, random.Random(8), 30)
    theirs = entry(START + timedelta(days=5), pain=1)
    ours = entry(START + timedelta(days=6), pain=2)
    calls: list[int] = []

    def make(_current: Diary, taken: Container[str]) -> Entry:
        calls.append(1)
        if len(calls) == 1:
            Store(home).append(_maker(theirs), _window(START))
        return ours

    Store(home).append(make, _window(START))
    assert len(calls) == 2
    entries = store.load()["entries"]
    assert entries[-2:] == [theirs, ours]
    assert storage._dump(store.load()) == store.path.read_bytes()
