"""Load the cited rules data (content/rules/*.yaml) into the rules table. Safe to re-run."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from content import facts, rulesdata, services


class Command(BaseCommand):
    help = "Load the rules YAML files into the database (idempotent) and report what changed."

    def add_arguments(self, parser):
        parser.add_argument(
            "--path", default=str(rulesdata.RULES_DIR), help="Directory of YAML files"
        )
        parser.add_argument("--check", action="store_true", help="Only validate the files")
        parser.add_argument(
            "--no-resync", action="store_true", help="Do not re-sync open cases after changes"
        )

    def handle(self, *args, **options):
        try:
            data = rulesdata.read_dir(Path(options["path"]))
        except rulesdata.RulesDataError as exc:
            raise CommandError("The rules files cannot be read:\n" + str(exc)) from exc
        errors = services.validate_data(data)
        facts_file = Path(options["path"]) / facts.FACTS_FILE.name
        if facts_file.exists():
            errors += facts.declaration_errors(facts.read(facts_file))
        if errors:
            raise CommandError("The rules files are invalid:\n" + "\n".join(errors))
        if options["check"]:
            self.stdout.write(self.style.SUCCESS("The rules files are valid."))
            return
        report = services.import_rules(data)
        for line in report.lines():
            self.stdout.write(line)
        if report.rules_changed and not options["no_resync"]:
            job = services.announce_rules_change(
                reason="Rules reloaded from files",
                problem_types=[] if report.all_problem_types else sorted(report.problem_types),
                run_now=True,
            )
            self.stdout.write(f"Re-synced {job.done} open cases ({job.changed} changed).")
        self.stdout.write(self.style.SUCCESS("Rules loaded."))
