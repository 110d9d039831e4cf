"""The lab runner: lab specs, output matching, hosts, images, the runner, its results and its pytest plugin.

Nothing here imports MkDocs: the site adapters in hooks/ read what this package writes.
"""
