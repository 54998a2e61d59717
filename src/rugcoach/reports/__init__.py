"""Reports: the export report built once for a period (`report`), its figures
(`progress`, the warnings seen: `seen`), how they read (`format`), the renderers and
import reading (`export`), and one module per export format, each a pure
`render(report) -> str`.

May import the top-level basics, `content`, `diary`, `coach` and `programme`.
"""
