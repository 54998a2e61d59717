"""What Tab offers for values (entry ids, exercise and sign ids, profiles, risk factors).

These run only when a shell asks for completions (`rugcoach completion`); they read, never
write, and give nothing rather than an error when there is nothing to read.
"""

from __future__ import annotations

from rugcoach.vocab import PROFILES


def entry_ids(incomplete: str) -> list[str]:
    """The diary's entry ids starting with what is typed, newest first (for Tab after
    `rugcoach edit`); nothing when there is no diary or it cannot be read."""
    from rugcoach import paths
    from rugcoach.diary.store import Store

    try:
        store = Store(paths.home())
        entries = store.load()["entries"] if store.exists() else []
    except Exception:  # a broken diary is reported by the command itself, not at Tab
        return []
    return [e["id"] for e in reversed(entries) if e["id"].startswith(incomplete)]


def exercise_ids(incomplete: str) -> list[str]:
    from rugcoach.content import load as content

    try:
        exercises = content.load()["exercises"]["exercises"]
    except Exception:
        return []
    return [ex["id"] for ex in exercises if ex["id"].startswith(incomplete)]


def symptom_ids(incomplete: str) -> list[str]:
    from rugcoach.content import load as content

    try:
        symptoms = content.load()["coaching"]["symptoms"]
    except Exception:
        return []
    return [s["id"] for s in symptoms if s["id"].startswith(incomplete)]


def profile_ids(incomplete: str) -> list[str]:
    return [p for p in PROFILES if p.startswith(incomplete)]


def risk_ids(incomplete: str) -> list[str]:
    from rugcoach.content import load as content

    try:
        questions = content.load()["coaching"]["screening"]
    except Exception:
        return []
    return [q["id"] for q in questions if q["id"].startswith(incomplete)]
