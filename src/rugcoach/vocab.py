"""The fixed vocabularies (languages, categories, profiles, levels) as plain tuples.

The same values are the `Literal` types in `schema.py` (a test keeps the two equal); they
live here too because importing `schema` costs ~12 ms of `annotated_types` and
`typing_extensions`, which the start-up path of `rugcoach today` does not need.
"""

from __future__ import annotations

LANGS = ("nl", "en")
CATEGORIES = (
    "mobility",
    "motor-control",
    "strength",
    "strength-power",
    "cardio",
    "walking",
    "breathing",
    "nerve-glide",
)
PROFILES = ("general", "acute", "nerve", "degenerative", "chronic", "recurrent")
LEVELS = ("urgent", "consult", "adjust")
