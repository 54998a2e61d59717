"""A warning in words for a person: its message, the day-8 question, and how to clear it.

One place, so `today`, `log`, `phase`, the session and the exports say the same thing.
Standard library only (the `today` hot path).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rugcoach.i18n import catalogue, pick, t

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rugcoach.coach.alerts import Alert


def message(alert: Alert) -> str:
    """The full message in the current language; an urgent sign still open from its 8th
    day on first asks whether the GP has been contacted (SPEC §10)."""
    text = pick(alert.message)
    if alert.follow_up_days is not None:
        text = f"{t('warning.follow_up', days=alert.follow_up_days)} {text}"
    return text


def clear_hint(alert: Alert, quiet_days: int) -> str | None:
    """How to record that the warning has been seen to, or None if it cannot be cleared."""
    if not alert.clearable:
        return None
    if alert.level == "urgent":
        return t("warning.clear_urgent", id=alert.id)
    return t("warning.clear_quiet", id=alert.id, days=quiet_days)


def block(alert: Alert, quiet_days: int, width: int) -> str:
    """The warning as plain lines for a message: its title, the message wrapped to `width`,
    and how to clear it."""
    import textwrap

    lines = [title(alert)]
    for paragraph in (message(alert), clear_hint(alert, quiet_days)):
        if paragraph:
            lines.extend(textwrap.wrap(paragraph, width, break_on_hyphens=False))
    return "\n".join(lines)


def clear_many(alerts: Sequence[Alert]) -> str:
    """One line saying how to clear each of several urgent signs."""
    if len(alerts) == 1:
        return t("warning.clear_urgent", id=alerts[0].id)
    return t("warning.clear_urgent_many", ids=", ".join(a.id for a in alerts))


def label(alert: Alert) -> str:
    """A short name: the sign's name, or the rule warning's."""
    if alert.name:
        return pick(alert.name)
    key = "warning.name." + alert.id
    return t(key) if key in catalogue("en") else alert.id


def title(alert: Alert) -> str:
    """`LEVEL: name` for a sign, the level alone for a rule warning."""
    level = t("level." + alert.level)
    return f"{level}: {pick(alert.name)}" if alert.name else level


def paragraphs(alert: Alert, quiet_days: int) -> list[str]:
    """The body of a warning box: the sign's name, the message, how to clear it."""
    out = [pick(alert.name)] if alert.name else []
    out.append(message(alert))
    hint = clear_hint(alert, quiet_days)
    if hint:
        out.append(hint)
    return out


def as_json(alert: Alert) -> dict[str, Any]:
    """A warning in `today --json` and `phase --json` (SPEC §4, §10)."""
    return {
        "id": alert.id,
        "level": alert.level,
        "message": message(alert),
        "name": pick(alert.name) if alert.name else None,
        "since": alert.since.isoformat() if alert.since else None,
        "when": alert.when,
        "clear": alert.clear_command,
    }
