"""Load the cited rules data (content/rules/*.yaml) and the calendar decrees
(content/decrees/*.yaml) into the rules table, and the key-rate table
(content/rates/key-rate.yaml). Safe to re-run."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from content import calendardata, facts, keyratedata, rulesdata, services


class Command(BaseCommand):
    help = "Load the rules YAML files into the database (idempotent) and report what changed."

    def add_arguments(self, parser):
        parser.add_argument(
            "--path", default=str(rulesdata.RULES_DIR), help="Directory of YAML files"
        )
        parser.add_argument(
            "--decrees", default=str(calendardata.DECREES_DIR), help="Directory of decree files"
        )
        parser.add_argument(
            "--key-rates", default=str(keyratedata.KEY_RATE_FILE), help="The key-rate file"
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
        decrees = calendardata.read_dir(Path(options["decrees"]))
        key_rates = keyratedata.read(Path(options["key_rates"]))
        errors = services.validate_data(data) + calendardata.validate(decrees)
        errors += keyratedata.validate(key_rates)
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
        decrees_changed = calendardata.import_decrees(decrees)
        self.stdout.write(f"calendar decrees: {len(decrees_changed)} loaded or changed")
        self.stdout.writelines(f"  ~ {label}" for label in decrees_changed)
        # The key rate feeds no deadline: a change needs no re-sync of cases.
        rates_changed = keyratedata.import_rates(key_rates)
        self.stdout.write(f"key rates: {len(rates_changed)} loaded or changed")
        if (report.rules_changed or decrees_changed) and not options["no_resync"]:
            every_case = report.all_problem_types or bool(decrees_changed)
            job = services.announce_rules_change(
                reason="Rules reloaded from files",
                problem_types=[] if every_case else sorted(report.problem_types),
                run_now=True,
            )
            self.stdout.write(f"Re-synced {job.done} open cases ({job.changed} changed).")
        self.stdout.write(self.style.SUCCESS("Rules loaded."))
