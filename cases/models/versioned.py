"""Rows that count their saves, so an edit made from a stale copy can be refused."""

from __future__ import annotations

from typing import Any

from django.db import models


class Versioned(models.Model):
    """`version` goes up by one on every save of an existing row.

    A form or an API client carries the version it read; the service compares it with the row
    it locks (cases.concurrency) and refuses the save when someone saved in between.
    """

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)
