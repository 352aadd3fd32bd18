"""Timeline lines are stored as codes with parameters and read in the reader's language."""
# The msgids here are plain strings: makemessages reads tests/ too, and they are already marked
# where the product writes them.

from __future__ import annotations

import pytest
from django.utils import translation

from cases.event_codes import coded
from cases.models import TimelineEvent
from cases.timeline import describe


def _event(kind: str, data: dict, text: str = "") -> TimelineEvent:
    return TimelineEvent(kind=kind, data=data, text=text)


def test_a_coded_line_is_rendered_in_each_readers_language():
    event = _event("reminder", coded("Reminder to the caseworker could not be delivered."))
    with translation.override("en"):
        assert describe(event, {}) == "Reminder to the caseworker could not be delivered."
    with translation.override("ru"):
        assert describe(event, {}) == "Напоминание сотруднику не удалось доставить."


def test_parameters_are_filled_in_after_translation():
    message = "Reminder skipped: the deadline “%(title)s” had passed."
    event = _event("reminder", coded(message, title="Patent"))
    with translation.override("ru"):
        line = describe(event, {})
    assert "Patent" in line and "Reminder skipped" not in line


def test_the_portal_link_line_is_not_hard_coded_english():
    event = _event("system", coded("Personal link for the migrant issued"))
    with translation.override("ru"):
        assert describe(event, {}) == "Выдана личная ссылка для мигранта"


def test_a_rules_update_says_what_changed():
    event = _event("checklist", {"plan": {"items_added": ["a", "b"], "deadlines_retired": ["c"]}})
    with translation.override("ru"):
        line = describe(event, {})
    assert "добавлено пунктов: 2" in line and "сроков больше не требуется: 1" in line


@pytest.mark.django_db
def test_a_checklist_change_names_the_item_and_both_states():
    event = _event(
        "checklist", {"item": "k", "document": "passport_foreign", "from": "missing", "to": "have"}
    )
    with translation.override("en"):
        assert describe(event, {}).endswith(": Missing → Have it")


def test_a_reason_a_person_wrote_stays_as_written():
    event = _event("checklist", {"plan": {"items_added": ["a"]}}, text="Rules changed: patent")
    assert describe(event, {}) == ""  # the template shows the stored text itself
