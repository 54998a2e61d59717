"""Typed ids of profiles and categories in either language (SPEC §15: Dutch ids welcome).

The stored ids stay English and stable (`nerve`, `strength`); a person may type the Dutch
word (`zenuwpijn`, `kracht`), the name the screens show (`acute rugpijn`), in any case,
with or without accents, spaces or hyphens.
"""

from __future__ import annotations

from rugcoach.i18n import catalogue, current
from rugcoach.vocab import CATEGORIES, LANGS, PROFILES

# Dutch words people use for each, besides the names on screen (the catalogues).
PROFILE_WORDS: dict[str, tuple[str, ...]] = {
    "general": ("algemeen",),
    "acute": ("acuut", "spit", "lumbago"),
    "nerve": ("zenuwpijn", "zenuw", "hernia"),
    "degenerative": ("slijtage", "artrose", "degeneratief"),
    "chronic": ("chronisch",),
    "recurrent": ("terugkerend", "terugkerende"),
}
CATEGORY_WORDS: dict[str, tuple[str, ...]] = {
    "mobility": ("mobiliteit", "beweeglijkheid"),
    "motor-control": ("motorische-controle", "controle"),
    "strength": ("kracht",),
    "strength-power": ("explosieve-kracht", "explosief"),
    "cardio": ("conditie",),
    "walking": ("wandelen", "lopen"),
    "breathing": ("ademhaling", "ademen"),
    "nerve-glide": ("zenuwglijden", "zenuwmobilisatie"),
}


def _names(kind: str, ids: tuple[str, ...], words: dict[str, tuple[str, ...]]) -> dict[str, str]:
    from rugcoach.cli.prompts import normalise

    names: dict[str, str] = {}
    for id_ in ids:
        names[id_] = id_
        for word in words.get(id_, ()):
            names.setdefault(normalise(word), id_)
        for lang in LANGS:
            shown = catalogue(lang).get(f"{kind}.{id_}")  # type: ignore[arg-type]
            if shown:
                names.setdefault(normalise(shown), id_)
    return names


def profile_id(word: str) -> str | None:
    """The profile id a person typed, or None."""
    from rugcoach.cli.prompts import normalise

    return _names("profile", PROFILES, PROFILE_WORDS).get(normalise(word))


def category_id(word: str) -> str | None:
    """The category id a person typed, or None."""
    from rugcoach.cli.prompts import normalise

    return _names("category", CATEGORIES, CATEGORY_WORDS).get(normalise(word))


def shown_profiles() -> list[str]:
    """The profile ids as a Dutch reader types them (`zenuwpijn`), or the English ids."""
    return _shown(PROFILES, PROFILE_WORDS)


def shown_categories() -> list[str]:
    return _shown(CATEGORIES, CATEGORY_WORDS)


def _shown(ids: tuple[str, ...], words: dict[str, tuple[str, ...]]) -> list[str]:
    if current() == "nl":
        return [words[i][0] if words.get(i) else i for i in ids]
    return list(ids)


def candidates(kind: str) -> list[str]:
    """Every name that is accepted, for 'did you mean'."""
    if kind == "profile":
        return list(_names("profile", PROFILES, PROFILE_WORDS))
    return list(_names("category", CATEGORIES, CATEGORY_WORDS))
