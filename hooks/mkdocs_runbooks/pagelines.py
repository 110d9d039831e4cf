"""Where a fence sits in the page's file, for error messages: the Markdown a plugin gets lacks the front
matter and may already have been rewritten by other plugins, so lines are looked up in the source."""

from markdownfences import source_lines


def fence_lines(page, markdown: str, lang: str) -> list[int]:
    """1-based file lines of the page's fences of `lang`, in order (fence.index picks one)."""
    source = page.file.content_string if page.file.abs_src_path else markdown
    return source_lines(source, lang)
