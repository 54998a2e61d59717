"""Warning signs in the person's own words: which sign a typed word names (SPEC §10).

Pure and standard library only. The rules, in order:

1. A word that is a sign's id, name or alias, in either language (folded: case, accents,
   spaces versus hyphens), names that sign.
2. A longer text (a sentence) that contains the words of an *urgent* sign names the urgent
   sign(s) it contains: people log what they have, and a false alarm is cleared in one
   command, while a missed one is not. (Single short words such as "val" are too common
   inside sentences to count there.) A sentence that only contains milder signs names
   none: it could describe something more serious in words rugcoach does not know, so the
   person chooses from the list instead. Nothing is ever steered to a milder sign.
3. Anything else names no sign. A "did you mean" is offered only for a plain typo (at most
   two edits, one for short words) of the words of exactly one sign, and never when a more
   serious sign is almost as close.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rugcoach.vocab import LEVELS
from rugcoach.words import edit_distance, normalise

if TYPE_CHECKING:
    from rugcoach.schema import Content, Symptom

# A one-word alias must be at least this long to count inside a sentence.
MIN_WORD_IN_SENTENCE = 5
_RANK = {level: i for i, level in enumerate(LEVELS)}


@dataclass(frozen=True)
class Match:
    ids: tuple[str, ...]  # the signs named, in content order
    exact: bool  # True: the whole word is a name of the sign; False: found in a sentence


def words_of(symptom: Symptom) -> list[str]:
    """Every word accepted for a sign: id, names and aliases in both languages."""
    aliases = symptom["aliases"]
    return [
        symptom["id"],
        symptom["name"]["nl"],
        symptom["name"]["en"],
        *aliases["nl"],
        *aliases["en"],
    ]


def index(content: Content) -> dict[str, str]:
    """Folded word -> sign id. (Content validation guarantees no word names two signs.)"""
    out: dict[str, str] = {}
    for symptom in content["coaching"]["symptoms"]:
        for word in words_of(symptom):
            out.setdefault(normalise(word), symptom["id"])
    return out


def level_of(content: Content, sign_id: str) -> str:
    for symptom in content["coaching"]["symptoms"]:
        if symptom["id"] == sign_id:
            return symptom["level"]
    return LEVELS[-1]


def match(text: str, content: Content, known: dict[str, str] | None = None) -> Match | None:
    """The sign(s) `text` names, by the rules above, or None."""
    known = index(content) if known is None else known
    key = normalise(text)
    if not key:
        return None
    if key in known:
        return Match((known[key],), True)
    tokens = key.split("-")
    if len(tokens) < 2:
        return None
    found: dict[str, None] = {}
    for word, sign_id in known.items():
        if level_of(content, sign_id) != "urgent":
            continue
        parts = word.split("-")
        if len(parts) == 1 and len(word) < MIN_WORD_IN_SENTENCE:
            continue
        if any(True for _ in _occurrences(tokens, parts)) or _all_in(tokens, parts):
            found[sign_id] = None
    if not found:
        return None
    order = [s["id"] for s in content["coaching"]["symptoms"]]
    return Match(tuple(sorted(found, key=order.index)), False)


def _all_in(tokens: Sequence[str], parts: Sequence[str]) -> bool:
    """Whether every word of a multi-word alias is in the sentence, in any order ("zadel
    doof" for "doof zadelgebied"): people do not type a sign's words in our order, nor
    Dutch compounds whole. A word counts for a part that is it, or that it starts (or
    that starts it) when both are at least MIN_WORD_IN_SENTENCE letters: "zadel" for
    "zadelgebied", "plassen" for "plas". Each word counts for one part only."""
    if len(parts) < 2:
        return False
    free = list(tokens)
    for part in parts:
        hit = next((i for i, token in enumerate(free) if _same_word(token, part)), None)
        if hit is None:
            return False
        del free[hit]
    return True


def _same_word(token: str, part: str) -> bool:
    if token == part:
        return True
    if min(len(token), len(part)) < MIN_WORD_IN_SENTENCE:
        return False
    return part.startswith(token) or token.startswith(part)


def _occurrences(tokens: Sequence[str], parts: Sequence[str]) -> Iterable[int]:
    n = len(parts)
    for start in range(len(tokens) - n + 1):
        if list(tokens[start : start + n]) == list(parts):
            yield start


def typo_of(text: str, content: Content) -> tuple[str, str] | None:
    """(sign id, the word as written in content) that `text` is a plain typo of (see
    rule 3), or None."""
    key = normalise(text)
    if len(key) < 4:
        return None  # "val" and "vol" are different words, not a typo
    limit = 1 if len(key) < 8 else 2
    close: dict[str, tuple[int, str]] = {}
    for symptom in content["coaching"]["symptoms"]:
        for word in words_of(symptom):
            distance = edit_distance(key, normalise(word), limit + 1)
            best = close.get(symptom["id"])
            if distance <= limit + 1 and (best is None or distance < best[0]):
                close[symptom["id"]] = (distance, word)
    within = [s for s, (d, _) in close.items() if d <= limit]
    if len(within) != 1:
        return None
    guess = within[0]
    rank = _RANK[level_of(content, guess)]
    # A more serious sign almost as close: the typo could be of either; don't guess.
    if any(_RANK[level_of(content, other)] < rank for other in close if other != guess):
        return None
    return guess, close[guess][1]


def ordered(content: Content) -> list[Symptom]:
    """Every sign, most serious first (urgent, consult, adjust), in content order within."""
    signs = content["coaching"]["symptoms"]
    return sorted(signs, key=lambda s: _RANK.get(s["level"], len(_RANK)))
