from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        from celery.signals import worker_init

        from audit import checks

        def _check_keys(**kwargs):
            checks.refuse_to_start_with_bad_keys()

        worker_init.connect(_check_keys, weak=False, dispatch_uid="hamroh_worker_keys")
