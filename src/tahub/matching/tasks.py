"""Background tasks of the matching app: thin, taking ids, calling services."""

from django_tasks import task

from tahub.matching.alerts import alerts_send
from tahub.matching.services import match_all, match_rescore


@task()
def rescore(offer_ids, need_ids, request_ids):
    """Rescore what one change touched (enqueued when its transaction commits)."""
    return match_rescore(offers=offer_ids, needs=need_ids, requests=request_ids)


@task()
def rescore_all():
    """Rescore every open need and accepted request against every open offer."""
    return match_all()


@task()
def send_alerts():
    """Daily: each subscriber's digest of new matches, when their daily or weekly turn has come."""
    return alerts_send()
