"""Report writers: tidy CSV tables, the per-division checklist (Markdown, HTML, Excel)."""
