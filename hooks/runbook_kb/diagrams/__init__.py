"""Diagrams rendered at build time from text in the page, as inline SVG (no script, no request)."""
