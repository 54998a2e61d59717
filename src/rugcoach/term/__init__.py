"""What the terminal shows: plain text at the terminal's width (`canvas`), output and
consoles (`output`), today's plan (`today`), the plan and phase status (`plan`), the
history, the summary, the guided session.

May import the top-level basics, `content`, `coach`, `programme` and `reports`
(the summary view draws the report). `today` is drawn without Rich.
"""
