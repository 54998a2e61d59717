"""The therapist's programme (SPEC §12): where its file is, loading and checking it
(`prescription`, `file`), and what it asks for a day.

May import the top-level basics, `content` and `coach`.
"""
