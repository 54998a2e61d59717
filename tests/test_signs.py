"""Warning signs in the person's own words (SPEC §10): matching, typos, and the content
rules that keep the word lists safe."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from rugcoach.content import load as content
from rugcoach.content import signs
from rugcoach.content.validation import ContentError
from rugcoach.schema import Content
from rugcoach.words import edit_distance, normalise

from factories import real_content

HELD_OUT = Path(__file__).parent / "data" / "sign_words_heldout.yaml"
RANK = {"urgent": 0, "consult": 1, "adjust": 2}


@pytest.fixture(scope="module")
def shipped() -> Content:
    return real_content()


def level(c: Content, sign: str) -> str:
    return signs.level_of(c, sign)


# ------------------------------------------------------------------------------- folding


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("Beide Benen", "beide-benen"),
        ("beide-benen", "beide-benen"),
        ("beide_benen", "beide-benen"),
        ("  zadelanesthésie ", "zadelanesthesie"),
        ("Ischïas", "ischias"),
        ("can't  pee", "cant-pee"),
        ("pijn 's nachts", "pijn-s-nachts"),
    ],
)
def test_folding_ignores_case_accents_and_separators(typed: str, folded: str) -> None:
    assert normalise(typed) == folded


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [("koorts", "koorst", 1), ("urineverlies", "urineverlis", 1), ("val", "vol", 1)],
)
def test_edit_distance_counts_a_swap_as_one(a: str, b: str, distance: int) -> None:
    assert edit_distance(a, b, 3) == distance


# ------------------------------------------------------------------------- the word lists


def test_every_sign_has_enough_words_in_both_languages(shipped: Content) -> None:
    for sign in shipped["coaching"]["symptoms"]:
        need = 6 if sign["level"] == "urgent" else 4
        for lang in ("nl", "en"):
            assert len(sign["aliases"][lang]) >= need, (sign["id"], lang)  # type: ignore[literal-required]


def test_every_word_names_its_own_sign_however_it_is_typed(shipped: Content) -> None:
    known = signs.index(shipped)
    for sign in shipped["coaching"]["symptoms"]:
        for word in signs.words_of(sign):
            for typed in (word, word.upper(), word.replace(" ", "-"), f"  {word} "):
                found = signs.match(typed, shipped, known)
                assert found is not None and found.ids == (sign["id"],), (typed, found)


@pytest.mark.parametrize(
    ("word", "sign"),
    [
        # Words a Dutch patient or GP uses, from the issue: none may be refused.
        ("incontinentie", "bladder-bowel"),
        ("urineverlies", "bladder-bowel"),
        ("zadelanesthesie", "saddle-numbness"),
        ("ongeluk", "trauma"),
        ("ischias", "radiating-leg-pain"),
        ("gevoelloosheid", "numbness"),
        ("krachtverlies", "leg-weakness"),
        ("tintelingen", "numbness"),
        ("beide benen", "both-legs"),
        ("klapvoet", "progressive-weakness"),
        ("koorts", "fever"),
        ("nachtpijn", "night-pain"),
        ("afvallen", "weight-loss"),
        ("weakness", "leg-weakness"),
        ("tingling", "numbness"),
        ("numbness", "numbness"),
        ("sciatica", "radiating-leg-pain"),
        ("saddle anaesthesia", "saddle-numbness"),
        ("incontinence", "bladder-bowel"),
    ],
)
def test_patients_words_name_the_right_sign(shipped: Content, word: str, sign: str) -> None:
    found = signs.match(word, shipped)
    assert found is not None and found.ids == (sign,)


def test_a_sentence_with_an_urgent_sign_names_it_not_the_milder_one(shipped: Content) -> None:
    for sentence, sign in [
        ("krachtverlies in beide benen", "both-legs"),
        ("tintelingen en kan niet plassen", "bladder-bowel"),
        ("weakness and now i wet myself", "bladder-bowel"),
    ]:
        found = signs.match(sentence, shipped)
        assert found is not None and found.ids == (sign,), sentence


@pytest.mark.parametrize(
    "sentence",
    ["zadel doof", "doof zadel", "mijn zadel voelt doof", "gevoel zadel weg, doof"],
)
def test_an_urgent_sign_in_other_word_order_or_a_compound_cut_short_is_found(
    shipped: Content, sentence: str
) -> None:
    """People neither type a sign's words in the order of the list nor Dutch compounds
    whole ("zadel" for "zadelgebied"): every word of an urgent alias, in any order."""
    found = signs.match(sentence, shipped)
    assert found is not None and "saddle-numbness" in found.ids, sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "nieuw zadel op mijn fiets",  # one word of the alias is not enough
        "doof van de muziek",
        "pijn in mijn rug na het tillen",
        "stijf in de ochtend, daarna beter",
    ],
)
def test_everyday_sentences_name_no_urgent_sign(shipped: Content, sentence: str) -> None:
    assert signs.match(sentence, shipped) is None, sentence


def test_a_sentence_with_only_milder_signs_names_none(shipped: Content) -> None:
    """It could describe something more serious in other words: the person chooses."""
    assert signs.match("tintelingen in mijn kuit sinds gisteren", shipped) is None


def test_short_words_do_not_count_inside_sentences(shipped: Content) -> None:
    assert signs.match("val", shipped) is not None  # on its own it is the trauma sign
    assert signs.match("ik val slecht in slaap", shipped) is None


def _held_out() -> list[dict[str, Any]]:
    loaded: list[dict[str, Any]] = yaml.safe_load(HELD_OUT.read_text(encoding="utf-8"))
    return loaded


@pytest.mark.parametrize("case", _held_out(), ids=lambda c: str(c["word"]))
def test_unseen_words_are_never_steered_to_a_milder_sign(
    shipped: Content, case: dict[str, Any]
) -> None:
    """A corpus of words written apart from the word lists (typos, sentences, mixed signs,
    and words for no sign): whatever is chosen or suggested is the expected sign or a more
    serious one, and a word for no sign names none."""
    found = signs.match(case["word"], shipped)
    typo = signs.typo_of(case["word"], shipped)
    expected = case["expect"]
    if expected is None:
        assert found is None and typo is None
        return
    if found is not None:
        assert all(RANK[level(shipped, s)] <= RANK[level(shipped, expected)] for s in found.ids)
        assert expected in found.ids or level(shipped, found.ids[0]) == "urgent"
    elif typo is not None:
        assert typo[0] == expected


@settings(max_examples=60, deadline=None)
@given(
    before=st.lists(st.sampled_from(["sinds", "gisteren", "en", "ook", "erg", "since", "now"])),
    after=st.lists(st.sampled_from(["links", "rechts", "vandaag", "today", "a", "lot"])),
    pick=st.integers(0, 10_000),
)
def test_an_urgent_phrase_inside_any_sentence_is_never_missed(
    before: list[str], after: list[str], pick: int
) -> None:
    shipped = _SHIPPED
    urgent = [
        w
        for s in shipped["coaching"]["symptoms"]
        if s["level"] == "urgent"
        for w in signs.words_of(s)
        if "-" in normalise(w) or len(normalise(w)) >= signs.MIN_WORD_IN_SENTENCE
    ]
    word = urgent[pick % len(urgent)]
    sentence = " ".join([*before, word, *after])
    found = signs.match(sentence, shipped)
    assert found is not None
    assert signs.index(shipped)[normalise(word)] in found.ids
    assert all(level(shipped, s) == "urgent" for s in found.ids)


_SHIPPED = real_content()


# ------------------------------------------------------------------------------- typos


@pytest.mark.parametrize(
    ("typed", "sign", "word"),
    [
        ("incontinetie", "bladder-bowel", "incontinentie"),
        ("koorst", "fever", "koorts"),
        ("zadelanestesi", "saddle-numbness", "zadelanestesie"),
    ],
)
def test_a_plain_typo_gets_a_did_you_mean(
    shipped: Content, typed: str, sign: str, word: str
) -> None:
    assert signs.match(typed, shipped) is None
    assert signs.typo_of(typed, shipped) == (sign, word)


@pytest.mark.parametrize("typed", ["vol", "pijn", "buikpijn", "hoofdpijn", "tired", "urine"])
def test_no_guess_for_short_or_unrelated_words(shipped: Content, typed: str) -> None:
    assert signs.typo_of(typed, shipped) is None


def test_no_guess_toward_a_milder_sign_when_a_serious_one_is_nearly_as_close() -> None:
    c = copy.deepcopy(_SHIPPED)
    urgent = next(s for s in c["coaching"]["symptoms"] if s["id"] == "bladder-bowel")
    mild = next(s for s in c["coaching"]["symptoms"] if s["id"] == "leg-weakness")
    urgent["aliases"]["nl"].append("blaaszwakte")
    mild["aliases"]["nl"].append("beenzwakte")
    # Far from the urgent word: the mild one may be suggested.
    assert signs.typo_of("beenzwakt", c) == ("leg-weakness", "beenzwakte")
    # One edit from the mild word but only three from the urgent one: no guess at all.
    assert signs.typo_of("beanzwakte", c) is None


def test_signs_are_listed_urgent_first(shipped: Content) -> None:
    levels = [s["level"] for s in signs.ordered(shipped)]
    assert levels == sorted(levels, key=RANK.__getitem__)
    assert levels[0] == "urgent"


# ------------------------------------------------------------- content rules, file:line


def _coaching_with(tmp_path: Path, change: Any) -> Path:
    from rugcoach import paths

    source = paths.packaged_data() / "coaching.yaml"
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    change(data)
    target = tmp_path / "coaching.yaml"
    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return target


def _problems(path: Path) -> str:
    sources = [s for s in content.sources() if s.kind != "coaching"]
    with pytest.raises(ContentError) as caught:
        content.load([*sources, content.Source("coaching", path, True)], use_cache=False)
    return str(caught.value)


def test_too_few_words_for_an_urgent_sign_is_a_content_error(tmp_path: Path) -> None:
    def cut(data: Any) -> None:
        data["symptoms"][0]["aliases"]["en"] = ["numb saddle"]

    message = _problems(_coaching_with(tmp_path, cut))
    assert "coaching.yaml:" in message and "symptoms[0].aliases.en" in message
    assert "at least 6" in message


def test_a_word_shared_by_two_signs_is_a_content_error(tmp_path: Path) -> None:
    def share(data: Any) -> None:
        data["symptoms"][6]["aliases"]["nl"].append("Beide-Benen")  # a both-legs word

    message = _problems(_coaching_with(tmp_path, share))
    assert "beide-benen" in message and "both-legs" in message


def test_an_escalation_must_name_a_screening_question(tmp_path: Path) -> None:
    def wrong(data: Any) -> None:
        sign = next(s for s in data["symptoms"] if s["id"] == "fever")
        sign["escalations"][0]["risk"] = "immunity"

    message = _problems(_coaching_with(tmp_path, wrong))
    assert "escalations[0].risk" in message and "'immunity'" in message
