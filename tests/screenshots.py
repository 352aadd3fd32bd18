"""Where the browser tests put their screenshots.

Always under test-output/screenshots/ (ignored by git). The README's pictures in
docs/screenshots/ are refreshed only when asked (HAMROH_DOCS_SCREENSHOTS=1), so a test run
leaves the checkout clean.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "test-output" / "screenshots"
DOCS_SHOTS = ROOT / "docs" / "screenshots"


def shot(page, name: str) -> Path:
    """A full-page screenshot of `page` as test-output/screenshots/<name>.png."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def docs_wanted() -> bool:
    return os.environ.get("HAMROH_DOCS_SCREENSHOTS") == "1"


def publish(path: Path, name: str | None = None) -> None:
    """Copy a screenshot into docs/screenshots/ when HAMROH_DOCS_SCREENSHOTS=1."""
    if docs_wanted():
        DOCS_SHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, DOCS_SHOTS / (name or path.name))
