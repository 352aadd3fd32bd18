"""Timeline events as codes with parameters, so each reader sees them in their own language.

Writers store `coded(gettext_noop("..."), **params)` in `TimelineEvent.data`; cases.timeline
translates the msgid and fills the parameters when the page is shown.
"""

from __future__ import annotations


def coded(message: str, **params: object) -> dict:
    """Event data for a line rendered per reader: `message` is an English msgid marked with
    gettext_noop (so makemessages finds it), `params` its %-parameters (no personal data)."""
    return {"message": message, "params": params}
