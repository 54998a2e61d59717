"""The coaching rules, as pure functions of (content, diary, date): the diary day by day
(`timeline`), warnings and their life cycle (`alerts`, in words: `alert_text`), the
phase, its readiness and the day's plan (`plan`), activities, the session's steps.

No clock reads, no files, no terminal. May import: the top-level basics, `content`
(its shapes and sign words) and `programme` (what the therapist asks for a day).
Standard library only at import time: `today` runs through here.
"""
