from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        # Connects the re-sync receiver to content's rules_changed and registers its task.
        from cases import (
            checks,  # noqa: F401 - registers the start-up checks
            member_cache,
            resync,  # noqa: F401
        )

        member_cache.connect()
