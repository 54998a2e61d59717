"""The coaching content: which YAML files are in force and loading them (`load`), YAML
with line numbers and readable errors (`validation`), the checks across files
(`crosscheck`), the cache of validated content (`cache`) and the sign words (`signs`).

May import only the top-level basics (`cache` writes through `disk`). yaml and pydantic
are imported lazily (only when the cache cannot be trusted).
"""
