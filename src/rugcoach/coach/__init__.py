"""The coaching rules, as pure functions of (content, diary, date): the diary day by day
(`timeline`), warnings and their life cycle (`alerts`, in words: `alert_text`), the
phase, its readiness and the day's plan (`plan`), what the therapist's programme asks for
a day (`prescribed`), activities, the session's steps.

No clock reads, no files, no terminal. May import: the top-level basics and `content`
(its shapes and sign words); never `programme` (the file), which imports the coach.
Standard library only at import time: `today` runs through here.
"""
