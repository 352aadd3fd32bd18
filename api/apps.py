from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "Integration API"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from api import tokens, webhooks  # noqa: F401 - connect their receivers
