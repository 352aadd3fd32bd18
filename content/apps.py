from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = "Rules and documents"

    def ready(self) -> None:
        from content import checks, signals  # noqa: F401 — checks registers itself

        signals.connect()
