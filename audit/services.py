from __future__ import annotations

from audit.actions import Action
from audit.models import AuditEvent


def record(
    *, actor, action: Action | str, organisation=None, obj=None, detail: dict | None = None
) -> AuditEvent:
    """Append one audit event. Pass ids and field names in `detail`, never personal data.

    `action` must be in the registry (`audit.actions.Action`): an unknown one is a ValueError.
    """
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        organisation=organisation,
        action=Action(action).value,
        object_type=obj._meta.model_name if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        detail=detail or {},
    )
