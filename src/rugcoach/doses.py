"""How a dose is said, in the person's language: '3 x 8 per side', '2 x 30 s', '10 min'.

A basic module (standard library and the catalogues only), so that the terminal views, the
exports and the therapist's programme file all say a dose the same way without any of them
importing another room's views.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rugcoach.i18n import t

if TYPE_CHECKING:
    from rugcoach.schema import Dose


def dose_text(dose: Dose) -> str:
    """'3 x 8 per side', '2 x 30 s', '10 min' — in the current language."""
    sets = dose["sets"]
    if "reps" in dose:
        text = t("dose.reps", sets=sets, reps=dose["reps"])
    elif "seconds" in dose:
        text = t("dose.seconds", sets=sets, seconds=dose["seconds"])
    else:
        minutes = dose.get("minutes", 0)
        text = (
            t("dose.minutes", minutes=minutes)
            if sets == 1
            else t("dose.sets_minutes", sets=sets, minutes=minutes)
        )
    if dose.get("per_side"):
        text += t("dose.per_side")
    return text
