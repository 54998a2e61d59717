"""The person's diary: on disk (`store`: read, migrate, seal, the one safe write), the
strict JSON reader, atomic file writes, and pure edits of a diary (`edits`).

May import the top-level basics and `content` (cache checksum, validation); never
`coach`, `reports`, `term` or `cli`.
"""
