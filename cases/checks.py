"""Start-up checks: the encryption keys must read the data already stored."""

from __future__ import annotations

from celery.signals import worker_init
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

from cases.fields import verify_keys


@register("security")
def encryption_keys_check(app_configs=None, **kwargs):
    return [Error(problem, id="hamroh.E001") for problem in verify_keys()]


def refuse_to_start_with_bad_keys() -> None:
    """Called by the WSGI entry point and the Celery worker before serving anything."""
    problems = verify_keys()
    if problems:
        raise ImproperlyConfigured("Refusing to start: " + " ".join(problems))


@worker_init.connect(weak=False, dispatch_uid="hamroh_worker_keys")
def _check_keys_in_worker(**kwargs) -> None:
    refuse_to_start_with_bad_keys()
