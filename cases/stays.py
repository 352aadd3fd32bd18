"""The verbs of a migrant's stays and addresses: record an entry, an exit and a move.

Each checks the dates (plausible, not in the future, an exit after its entry, no two stays at
once), saves, and re-plans the migrant's open cases: their arrival date follows the latest entry,
and the stay limits and the registration deadline of each address follow the records
(content.engine). ValidationErrors are keyed by the form's field names.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from cases import date_bounds, permissions, planning, services
from cases.models import Address, Case, Migrant, Stay
from content import stays as stay_days


def _check_date(field: str, value: date | None) -> None:
    if value is None:
        return
    error = date_bounds.out_of_range(field, value)
    if error:
        raise ValidationError({field: error})
    if value > timezone.localdate():
        raise ValidationError({field: _("This date is in the future.")})


def _short(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _check_no_overlap(migrant: Migrant, period: tuple[date, date | None]) -> None:
    others = [s.period for s in Stay.objects.filter(migrant=migrant)]
    clash = stay_days.overlapping([period, *others])
    if clash is None:
        return
    other = clash[1] if clash[0] == period else clash[0]
    field = "exit_date" if period[1] is not None and period[0] <= other[0] else "entry_date"
    if other[1] is None and other[0] <= period[0]:
        message = _("The stay that began on %(entry)s has no exit yet: record the exit first.")
    else:
        message = _("This overlaps the stay from %(entry)s to %(exit)s.")
    ends = other[1] or timezone.localdate()
    raise ValidationError({field: message % {"entry": _short(other[0]), "exit": _short(ends)}})


@transaction.atomic
def record_entry(
    *,
    migrant: Migrant,
    by: User,
    entry_date: date,
    entry_point: str = "",
    exit_date: date | None = None,
) -> Stay:
    """A stay in the country: its entry and, for a past trip, its exit."""
    permissions.require(by, migrant.organisation, permissions.Action.EDIT_CASE)
    migrant = Migrant.objects.select_for_update().get(pk=migrant.pk)
    _check_date("entry_date", entry_date)
    _check_date("exit_date", exit_date)
    if exit_date is not None and exit_date < entry_date:
        raise ValidationError({"exit_date": _("The exit is before the entry.")})
    _check_no_overlap(migrant, (entry_date, exit_date))
    stay = Stay(
        migrant=migrant,
        entry_date=entry_date,
        exit_date=exit_date,
        entry_point=entry_point.strip()[:100],
        recorded_by=by,
    )
    stay._history_user = by  # type: ignore[attr-defined]
    stay.save()
    replan_migrant(migrant=migrant, by=by, reason="Entry recorded")
    return stay


@transaction.atomic
def record_exit(*, migrant: Migrant, by: User, exit_date: date) -> Stay:
    """The exit from the stay the migrant is in (the latest one, without an exit)."""
    permissions.require(by, migrant.organisation, permissions.Action.EDIT_CASE)
    migrant = Migrant.objects.select_for_update().get(pk=migrant.pk)
    _check_date("exit_date", exit_date)
    stay = Stay.objects.filter(migrant=migrant).order_by("-entry_date").first()
    if stay is None or stay.exit_date is not None:
        raise ValidationError({"exit_date": _("No entry without an exit is recorded.")})
    if exit_date < stay.entry_date:
        raise ValidationError(
            {"exit_date": _("The exit is before the entry on %(entry)s.") % {
                "entry": _short(stay.entry_date)
            }}
        )  # fmt: skip
    later = Address.objects.filter(migrant=migrant, arrival_date__gt=exit_date).first()
    if later is not None:
        raise ValidationError(
            {"exit_date": _("The move to an address on %(day)s is after this exit.") % {
                "day": _short(later.arrival_date)
            }}
        )  # fmt: skip
    stay.exit_date = exit_date
    stay._history_user = by  # type: ignore[attr-defined]
    stay.save(update_fields=["exit_date", "updated_at"])
    # The person left: the address they were at is left on that day too.
    Address.objects.filter(migrant=migrant, end_date__isnull=True).update(
        end_date=exit_date, updated_at=timezone.now()
    )
    replan_migrant(migrant=migrant, by=by, reason="Exit recorded")
    return stay


@transaction.atomic
def record_move(*, migrant: Migrant, by: User, address: str, arrival_date: date) -> Address:
    """Arrival at a new place of stay; the previous address ends on that day."""
    permissions.require(by, migrant.organisation, permissions.Action.EDIT_CASE)
    migrant = Migrant.objects.select_for_update().get(pk=migrant.pk)
    address = address.strip()
    if not address:
        raise ValidationError({"address": _("Enter the address.")})
    if len(address) > 300:
        raise ValidationError({"address": _("Keep the address under 300 characters.")})
    _check_date("arrival_date", arrival_date)
    latest = Address.objects.filter(migrant=migrant).order_by("-arrival_date").first()
    if latest is not None and arrival_date <= latest.arrival_date:
        raise ValidationError(
            {"arrival_date": _("The last move recorded was on %(day)s: a new one comes after it.")
             % {"day": _short(latest.arrival_date)}}
        )  # fmt: skip
    recorded = [s.period for s in Stay.objects.filter(migrant=migrant)]
    if recorded and not any(
        entry <= arrival_date <= (exit_ or arrival_date) for entry, exit_ in recorded
    ):
        raise ValidationError(
            {"arrival_date": _("No recorded stay in the country covers this date.")}
        )
    Address.objects.filter(migrant=migrant, end_date__isnull=True).update(
        end_date=arrival_date, updated_at=timezone.now()
    )
    moved = Address(migrant=migrant, address=address, arrival_date=arrival_date, recorded_by=by)
    moved._history_user = by  # type: ignore[attr-defined]
    moved.save()
    replan_migrant(migrant=migrant, by=by, reason="Move recorded")
    return moved


def replan_migrant(*, migrant: Migrant, by: User, reason: str) -> None:
    """Bring the migrant's open cases in step with the records: the arrival date follows the
    latest entry, the host address the latest address, then the plan is synced."""
    latest_stay = Stay.objects.filter(migrant=migrant).order_by("-entry_date").first()
    latest_address = Address.objects.filter(migrant=migrant).order_by("-arrival_date").first()
    for case in Case.objects.open().filter(migrant=migrant).order_by("pk"):
        facts = {}
        if latest_stay is not None and case.arrival_date != latest_stay.entry_date:
            facts["arrival_date"] = latest_stay.entry_date
            if latest_stay.entry_point:
                facts["entry_point"] = latest_stay.entry_point
        if latest_address is not None and case.host_address != latest_address.address:
            facts["host_address"] = latest_address.address
        if facts:
            services.update_case_facts(case=case, by=by, **facts)  # re-plans the case
        else:
            planning.sync_plan(case=case, by=by, reason=reason)


def days_used(records: list[Stay], *, today: date | None = None) -> int:
    """Days of stay in the current calendar year, from a migrant's stays."""
    today = today or timezone.localdate()
    return stay_days.days_in_year([s.period for s in records], today.year, today=today)
