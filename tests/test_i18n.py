"""The catalogues: same keys, same placeholders, and the language chosen as SPEC §3 says."""

from __future__ import annotations

import string

import pytest

from rugcoach import i18n
from rugcoach.i18n import en, nl


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_catalogues_have_the_same_keys() -> None:
    assert set(en.MESSAGES) == set(nl.MESSAGES)


@pytest.mark.parametrize("key", sorted(en.MESSAGES))
def test_placeholders_match(key: str) -> None:
    assert _fields(en.MESSAGES[key]) == _fields(nl.MESSAGES[key]), key


@pytest.mark.parametrize("key", sorted(en.MESSAGES))
def test_no_message_is_blank(key: str) -> None:
    assert en.MESSAGES[key].strip() and nl.MESSAGES[key].strip()


@pytest.mark.parametrize(
    ("explicit", "env", "profile", "locale", "expected"),
    [
        ("nl", "en", "en", "en_US.UTF-8", "nl"),
        (None, "nl", "en", "en_US.UTF-8", "nl"),
        (None, None, "nl", "en_US.UTF-8", "nl"),
        (None, None, None, "nl_BE.UTF-8", "nl"),
        (None, None, None, "de_DE.UTF-8", "en"),
        (None, None, None, None, "en"),
        (None, "fr", None, "nl_NL.UTF-8", "nl"),
    ],
)
def test_language_detection_order(
    monkeypatch: pytest.MonkeyPatch,
    explicit: str | None,
    env: str | None,
    profile: str | None,
    locale: str | None,
    expected: str,
) -> None:
    monkeypatch.delenv("LANG", raising=False)
    if env:
        monkeypatch.setenv("RUGCOACH_LANG", env)
    if locale:
        monkeypatch.setenv("LANG", locale)
    assert i18n.detect(explicit, profile) == expected
