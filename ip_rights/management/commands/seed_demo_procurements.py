"""Load the demo borough's procurements (development settings only; run by ``seed_demo``).

Everything is made through the services an officer's and a supplier's pages use, so the
audit trail is the one real people would leave; the e-mails those services send are
suppressed, since the demo people have no inboxes. Each procurement is keyed by its title
within the demo borough: one that exists is left as it is, so running the command again
creates nothing. The only change not made through a service is moving a deadline that the
demo cannot wait for into the past: a participation deadline, a round's deadline, the last
day of standstill (see ``ip_rights.demo.flow`` and ``ip_rights.demo.award``). What each
procurement holds is in ``ip_rights.demo``; the steps that make each one are listed in
``ip_rights.demo.catalogue``.

- "Falls prevention at home": every section completed and submitted for approval by the lead
  officer, for the approver to review. Its timetable is computed from today so the
  publication rules pass.
- "Low-carbon heating for council homes": a draft with only the challenge and the market gap
  filled in, to show the task list in progress, and a published market engagement notice
  (UK2) with two events, so it is public already.
- "Loneliness in later life": published (version 1, the UK4 tender notice and the ITT), with
  a question answered to everyone, one answered to the asker only and one waiting for the
  officer.
- "Cleaner air on the way to school": published, then amended once (version 2 and its ITT):
  clearer outcome measures and a later deadline.
- "Safer homes after hospital discharge": published, with five requests to participate
  submitted (one from a consortium whose member has confirmed, one from an organisation on
  the debarment list), then its participation deadline passed: in selection, for the
  evaluator to score, the lead officer to moderate and the approver to confirm the
  shortlist. Only three are to be invited, so the shortlist rule shows.
- "Digital support for unpaid carers": the same five suppliers, then the whole of selection
  (marks, moderation, shortlist confirmed): in tendering, with the letters, and the three
  initial tenders sealed past their deadline, for two officers to open.
- "Reducing food waste in school kitchens": four requests (one from a consortium), the whole
  of selection, three initial tenders sealed, then opened by two officers; in negotiation,
  with round 2 (tenders after negotiation) open at the earliest deadline the regime allows,
  the lead officer's notes and meeting records with two tenderers, a change notice to all
  three, and one tender after negotiation already submitted.
- "Keeping older residents warm and well at home": four requests (one from a consortium), the
  whole of selection, three initial tenders opened, a round of negotiation (notes with two
  tenderers, a change notice to all three) whose tenders are opened, then the final round,
  whose three tenders are opened and evaluated: the evaluator marks quality and social value
  and the lead officer price, each with reasons, after declaring no conflicts; the lead
  officer moderates. The lead officer proposes the two best-ranked (the ITT allows two
  partners), the approver approves, the assessment summaries are rendered and the contract
  award notice (UK6) published: in standstill, whose last day is then moved to yesterday (see
  ``ip_rights.demo.award``), so the lead officer can enter the contracts on the procurement's
  Partnerships page and see it become active.
- "Finding and fixing damp and mould in council homes before residents fall ill": four requests
  (one from a consortium), the whole of selection, three initial tenders opened, the lead
  officer's records of meetings with two tenderers, then the final tenders, opened, evaluated
  and moderated as above. The ITT allows three partners, each doing separate R&D, and the
  award to all three is approved; the assessment summaries are sent, the UK6 published and
  standstill's last day moved to yesterday; the lead officer then enters the three contracts,
  signed today, and the three phases (research, prototype development, pilot) run the same
  day (see ``ip_rights.demo.stages``). The lead officer names the evaluator as every gate's
  assessor. Kingsmead Care and Repair (P1, supplier-d) reports, has both its phases scored by
  the evaluator, moderated by the lead officer and passed by the approver, and is in its
  pilot with a progress report in; Assistive Robotics (P2, supplier-a) falls short of both
  research targets, is scored below the thresholds and terminated by the approver on the
  announced condition, with the contract termination notice (UK11) published; Brightwater (P3,
  supplier-b) answers the lead officer's request for more evidence and submits its research
  final report: under review, not yet scored. Instalments: P1's research both and its
  development's first paid, its development's second approved and unpaid, its pilot's first
  claimed; P3's research first paid; P2's research second withheld with reasons; the rest
  scheduled. The stage-gate report and the partner's letter of each of the three decisions
  are rendered. Then a new user follows P1 to the purchase: supplier-d submits the pilot's
  final report on its R&D phases page, the evaluator scores it on the pilot's gate page, the
  lead officer moderates it, the approver passes it, and the lead officer records the
  purchase on the Purchase page; the evaluator can score P3 likewise, and the lead officer
  approve and pay the claims on the Money page.

The summaries and the stage-gate reports are rendered within the command, as the worker would
once the approval or the decision commits (the notice waits for the summaries, and the reports
are ready when the demo opens); the ITTs and letters are rendered when each procurement's
transaction commits (at once with the development settings).
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from core.calendar import bank_holidays_seed, london_date
from core.models import Borough, User
from ip_rights.demo.catalogue import DEMO_PROCUREMENTS
from ip_rights.demo.common import APPROVER, BOROUGH_SLUG, EVALUATOR, OFFICER, SUPPLIERS, TITLES
from ip_rights.demo.flow import Team
from procurements.models import Procurement


class Command(BaseCommand):
    help = "Load the demo borough's procurements (idempotent; development only; run by seed_demo)."

    def handle(self, *args, **options):
        if not settings.DEMO_ACCOUNTS_ENABLED:
            raise CommandError(
                "Demo procurements exist only with the development settings "
                "(DJANGO_SETTINGS_MODULE=portal.settings.dev)."
            )
        borough = Borough.objects.filter(slug=BOROUGH_SLUG).first()
        emails = [OFFICER, APPROVER, EVALUATOR, *SUPPLIERS]
        people = {user.email: user for user in User.objects.filter(email__in=emails)}
        if borough is None or len(people) < len(emails):
            raise CommandError("Load the demo borough and officers first: manage.py seed_demo")
        today = london_date(timezone.now())
        # Deadlines are computed on the working-day calendar: make sure its years are there.
        bank_holidays_seed(first_year=today.year, last_year=today.year + 2)
        team = Team(
            borough=borough,
            officer=people[OFFICER],
            approver=people[APPROVER],
            evaluator=people[EVALUATOR],
            suppliers={email: people[email] for email in SUPPLIERS},
            today=today,
        )
        # The services e-mail approvers, officers and suppliers as they go; the demo
        # people have no inboxes, so those e-mails are not printed over the output.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            self._seed(team)
        self._print(borough)

    def _seed(self, team: Team) -> None:
        existing = set(
            Procurement.objects.filter(borough=team.borough, title__in=TITLES).values_list(
                "title", flat=True
            )
        )
        for demo in DEMO_PROCUREMENTS:
            if demo.title not in existing:
                with transaction.atomic():
                    demo.seed(team)

    def _print(self, borough: Borough) -> None:
        procurements = {
            p.title: p for p in Procurement.objects.filter(borough=borough, title__in=TITLES)
        }
        self.stdout.write("Demo procurements:")
        for demo in DEMO_PROCUREMENTS:
            procurement = procurements[demo.title]
            status = procurement.get_status_display().lower()
            self.stdout.write(
                f"  {procurement.reference} {demo.title} ({status}): {demo.who(procurement)}"
            )
