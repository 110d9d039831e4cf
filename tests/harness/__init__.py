"""Lab harness: lab specs, snippet references, output matching, hosts, the runner and its results.

Nothing here imports MkDocs: the site adapters in hooks/ read what this package writes.
"""
