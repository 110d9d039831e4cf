"""Barcodes declared in pages, validated strictly and rendered with python-barcode (no MkDocs imports)."""
