"""What the terminal shows: output and consoles (`output`), today's plan (`today`),
the plan and phase status (`plan`), the summary, the guided session.

May import the top-level basics, `content`, `coach`, `programme` and `reports`
(the summary view draws the report). `today` is drawn without Rich.
"""
