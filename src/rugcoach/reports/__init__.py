"""Reports: the progress model built once for a period (`progress`), how its figures
read (`format`), the export report and import reading (`export`), and one module
per export format, each a pure `render(report) -> str`.

May import the top-level basics, `content`, `diary`, `coach` and `programme`.
"""
