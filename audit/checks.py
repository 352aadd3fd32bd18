"""Start-up checks: the encryption keys must read the data already stored."""

from __future__ import annotations

from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured


@register("security")
def encryption_keys_check(app_configs=None, **kwargs):
    from cases.fields import verify_keys

    return [Error(problem, id="hamroh.E001") for problem in verify_keys()]


def refuse_to_start_with_bad_keys() -> None:
    """Called by the WSGI entry point and the Celery worker before serving anything."""
    from cases.fields import verify_keys

    problems = verify_keys()
    if problems:
        raise ImproperlyConfigured("Refusing to start: " + " ".join(problems))
