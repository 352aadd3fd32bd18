from __future__ import annotations

from django.db import models


class Heartbeat(models.Model):
    """When a Celery worker last ran the beat-scheduled heartbeat task (one row per name)."""

    name = models.CharField(max_length=50, unique=True)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} @ {self.beat_at:%Y-%m-%d %H:%M:%S}"
