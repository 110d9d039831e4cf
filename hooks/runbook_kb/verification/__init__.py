"""What each snippet on a page may claim, and how that is shown: badges and the status page.

Free of MkDocs imports: hooks/runbook_kb.mkdocs_plugins adapts it to MkDocs; another generator needs only a new adapter.
"""
