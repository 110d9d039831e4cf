"""Python-Markdown extensions: what the project adds to pages, under any generator that runs them."""
