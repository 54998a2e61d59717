"""The therapist's programme file (SPEC §12): where it is and loading it (`prescription`),
checking it and writing a template (`file`). What a programme asks for a day is
`coach.prescribed`.

May import the top-level basics, `content` and `coach`.
"""
