"""Review states of the translations: who may edit them in the browser, and who checked what.

Every catalogue entry is in one of two states, kept in its translator comment so it travels with
the .po file: awaiting review ("machine translation — needs review …", or the fuzzy flag) and
reviewed ("reviewed by <name> on <YYYY-MM-DD>"). A translator reviews an entry by saving it,
not fuzzy, in Rosetta (/translate/); `record_review` stamps the name and date then. Rule and
document texts carry `needs_review` in the rules table and are reviewed in the rules admin.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from pathlib import Path

import polib
from django.utils import timezone

from portal import translation_check

TRANSLATORS_GROUP = "translators"
REVIEWED = re.compile(r"reviewed by (?P<who>.+?) on (?P<on>\d{4}-\d{2}-\d{2})")
LANGUAGES = ("ru", *translation_check.LANGUAGES)


def can_translate(user) -> bool:
    """Rosetta's gate: a platform superuser or a member of the translators group, signed in
    with two factors (legal texts reach migrants unreviewed by anyone else)."""
    if not (user.is_authenticated and user.is_active):
        return False
    verified = getattr(user, "is_verified", None)
    if verified is None or not verified():
        return False
    return user.is_superuser or user.groups.filter(name=TRANSLATORS_GROUP).exists()


def is_reviewed(entry: polib.POEntry) -> bool:
    return "fuzzy" not in entry.flags and bool(REVIEWED.search(entry.tcomment or ""))


def record_review(entry: polib.POEntry, *, who: str, on: date) -> None:
    """The entry's state after a translator saved it: reviewed by them, unless left fuzzy."""
    if "fuzzy" in entry.flags:
        entry.tcomment = f"needs review (marked fuzzy by {who} on {on.isoformat()})"
    else:
        entry.tcomment = f"reviewed by {who} on {on.isoformat()}"


def on_rosetta_entry_changed(sender, user, **kwargs) -> None:
    """rosetta.signals.entry_changed: `sender` is the entry, saved with its file right after."""
    record_review(sender, who=user.get_full_name() or user.username, on=timezone.localdate())


def awaiting_review(root: Path = translation_check.ROOT) -> dict[str, list[tuple[str, str]]]:
    """Per language, the (catalogue, msgid) of every translated entry nobody has reviewed."""
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for language in LANGUAGES:
        for path in sorted(root.glob(f"**/locale/{language}/LC_MESSAGES/django.po")):
            relative = path.relative_to(root)
            if relative.parts[0].startswith((".", "var", "node_modules")):
                continue
            for entry in polib.pofile(str(path)):
                if entry.translated() and not entry.obsolete and not is_reviewed(entry):
                    found[language].append((str(relative), entry.msgid))
    return dict(found)
