"""Issue a personal portal link for a case from the command line (demo, support desk)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from cases.models import Case, Membership
from portal import services


class Command(BaseCommand):
    help = (
        "Issue (or re-issue) a migrant's personal link, code and PIN for a case and print them. "
        "Without --case, picks the first open case (handy after seed_demo)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--case", help="case number, e.g. MSK-2026-00001")

    def handle(self, *args, **options):
        cases = Case.objects.open().select_related("organisation").order_by("opened_at", "id")
        if options["case"]:
            cases = cases.filter(number=options["case"])
        case = cases.first()
        if case is None:
            raise CommandError("No such open case.")
        membership = (
            Membership.objects.filter(organisation=case.organisation, is_active=True)
            .exclude(role=Membership.Role.CASEWORKER)
            .select_related("user")
            .first()
            or Membership.objects.filter(organisation=case.organisation, is_active=True).first()
        )
        if membership is None:
            raise CommandError("The case's organisation has no active member to issue the link.")
        issued = services.issue_link(case=case, by=membership.user)
        self.stdout.write(
            f"Case {case.number}: personal link issued (any earlier link is revoked)."
        )
        self.stdout.write(f"  link: {issued.url}")
        self.stdout.write(f"  or at /m/: code {issued.code}, PIN {issued.pin}")
