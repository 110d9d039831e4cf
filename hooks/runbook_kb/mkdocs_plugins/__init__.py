"""MkDocs adapters over the generator-free core in runbook_kb."""
