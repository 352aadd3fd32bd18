"""List the migrant-facing translations that leave out part of their English source.

`manage.py check_translations` checks the gettext catalogues; `--rules` checks the texts in
content/rules/*.yaml as well. Exits 1 when a text fails (portal/translation_check.py says how).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from portal import translation_check


class Command(BaseCommand):
    help = "Check tg, uz, uz-Cyrl and ky translations against their English source."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--rules", action="store_true", help="also check content/rules/*.yaml")

    def handle(self, *args, rules: bool = False, **options) -> None:
        texts = list(translation_check.catalogue_texts())
        if rules:
            texts += translation_check.rule_texts()
        failures = translation_check.check(texts)
        for failure in failures:
            self.stdout.write(str(failure))
        if failures:
            raise CommandError(f"{len(failures)} of {len(texts)} translations fail the check")
        self.stdout.write(f"All {len(texts)} translations carry their source.")
