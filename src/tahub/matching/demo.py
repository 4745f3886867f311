"""Demo matches: the full scoring run, then a few suggestions confirmed, conveyed and answered,
so that each side's pages show matches from the start."""

import random

from django.db import transaction
from django.test.utils import override_settings

from tahub.accounts.models import User
from tahub.accounts.roles import Role
from tahub.matching.conveying import (
    match_answer_party,
    match_answer_provider,
    match_convey,
    party_recipients,
    provider_recipients,
)
from tahub.matching.models import Match
from tahub.matching.services import match_all, match_confirm


def seed_matches(*, seed=2026):
    counts = match_all()
    if Match.objects.filter(status=Match.Status.CONVEYED).exists():
        return {"suggestions": counts["suggestions"], "conveyed": 0}
    secretariat = User.objects.filter(memberships__role=Role.SECRETARIAT, is_active=True).order_by("pk").first()
    if secretariat is None:
        return {"suggestions": counts["suggestions"], "conveyed": 0}
    rng = random.Random(seed)
    candidates = list(Match.objects.suggested().filter(score__gte=0.6).select_related("offer", "country").order_by("pk")[:400])
    rng.shuffle(candidates)
    conveyed = 0
    # The demo's e-mails are kept in memory, not printed or sent.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        for match in candidates:
            if conveyed == 6:
                break
            if not party_recipients(match) or not provider_recipients(match):
                continue
            with transaction.atomic():
                match = match_convey(actor=secretariat, match=match_confirm(actor=secretariat, match=match))
                if conveyed % 2 == 0:
                    match_answer_provider(actor=provider_recipients(match)[0], match=match, answer="interested")
                if conveyed % 3 == 0:
                    match_answer_party(actor=party_recipients(match)[0], match=match, answer="pursue")
            conveyed += 1
    return {"suggestions": counts["suggestions"], "conveyed": conveyed}
