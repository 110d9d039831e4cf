"""Files the plugins made outside the docs folder (drawn barcodes, lab artifacts), copied into the built site."""

import shutil
from pathlib import Path


def copy_into_site(site_dir: str, files: dict[str, Path]) -> None:
    """`files`: path inside the site → the file to copy there."""
    for asset, source in files.items():
        target = Path(site_dir) / asset
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
