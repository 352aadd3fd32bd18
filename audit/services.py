from __future__ import annotations

from typing import Any

from django.db import models

from audit.actions import Action
from audit.models import AuditEvent


def record(
    *,
    actor: Any,  # a user, or an anonymous one (kept as no actor)
    action: Action | str,
    organisation: Any = None,  # the core's Organisation, by reference: the log knows no more
    obj: models.Model | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event. Pass ids and field names in `detail`, never personal data.

    `action` must be in the registry (`audit.actions.Action`): an unknown one is a ValueError.
    """
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        organisation=organisation,
        action=Action(action).value,
        object_type=(obj._meta.model_name or "") if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        detail=detail or {},
    )
