from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Migrant portal"

    def ready(self) -> None:
        from rosetta.signals import entry_changed

        from portal.review import on_rosetta_entry_changed

        # A translator's save in Rosetta is their review: name and date go into the entry.
        entry_changed.connect(on_rosetta_entry_changed, dispatch_uid="portal.review")
