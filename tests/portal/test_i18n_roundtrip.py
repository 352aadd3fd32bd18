"""`make messages` round-trips: re-extracting the msgids changes no shipped translation."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
SKIP = shutil.ignore_patterns(".git", ".venv", "var", "node_modules", "__pycache__", "*.mo")


def _makemessages_args() -> list[str]:
    """The arguments the Makefile's `messages` target gives makemessages."""
    line = re.search(r"manage\.py (makemessages .*)", (ROOT / "Makefile").read_text()).group(1)
    return shlex.split(line)


def _shipped(root: Path) -> list[Path]:
    found = (p.relative_to(root) for p in root.glob("**/LC_MESSAGES/django.po"))
    # Only the project's own catalogues: not the virtualenv's, nor a cache's.
    return sorted(p for p in found if not p.parts[0].startswith((".", "var", "node_modules")))


@pytest.mark.skipif(not shutil.which("xgettext"), reason="makemessages needs GNU gettext")
def test_make_messages_keeps_every_shipped_translation(tmp_path):
    copy = tmp_path / "tree"
    shutil.copytree(ROOT, copy, ignore=SKIP)
    env = {**os.environ, "ALLOW_DEV_SECRETS": "true"}
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", *_makemessages_args()],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    changed = []
    for rel in _shipped(ROOT):
        fresh = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(copy / rel))}
        for entry in polib.pofile(str(ROOT / rel)):
            if not entry.translated():
                continue
            new = fresh.get((entry.msgctxt, entry.msgid))
            if new is None or new.obsolete:
                changed.append(f"{rel}: {entry.msgid!r} is no longer used")
            elif "fuzzy" in new.flags or (new.msgstr, new.msgstr_plural) != (
                entry.msgstr,
                entry.msgstr_plural,
            ):
                changed.append(f"{rel}: {entry.msgid!r} changed")
    assert not changed, "\n".join(changed)
