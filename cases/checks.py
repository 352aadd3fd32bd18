"""Start-up checks: the encryption keys must read the data already stored; a deployment's cache
is shared by its processes."""

from __future__ import annotations

from celery.signals import worker_init
from django.conf import settings
from django.core.checks import Error, Warning, register
from django.core.exceptions import ImproperlyConfigured

from cases.fields import verify_keys


@register("security")
def encryption_keys_check(app_configs=None, **kwargs):
    return [Error(problem, id="hamroh.E001") for problem in verify_keys()]


PROCESS_LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register("caches", deploy=True)
def shared_cache_check(app_configs=None, **kwargs):
    """Sessions (cached_db), rate limits and member lists live in the default cache: with a
    process-local one, a sign-out or a membership change is seen by one web process only."""
    if settings.CACHES["default"]["BACKEND"] not in PROCESS_LOCAL_CACHES:
        return []
    return [
        Warning(
            "The default cache is local to each process.",
            hint="Set CACHE_URL=redis://… when more than one web process serves the site.",
            id="hamroh.W001",
        )
    ]


def refuse_to_start_with_bad_keys() -> None:
    """Called by the WSGI entry point and the Celery worker before serving anything."""
    problems = verify_keys()
    if problems:
        raise ImproperlyConfigured("Refusing to start: " + " ".join(problems))


@worker_init.connect(weak=False, dispatch_uid="hamroh_worker_keys")
def _check_keys_in_worker(**kwargs) -> None:
    refuse_to_start_with_bad_keys()
