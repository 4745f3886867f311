"""Background tasks of the offers app: thin, calling services."""

from django_tasks import task

from tahub.offers.services import offers_close_expired


@task()
def close_expired_offers():
    """Daily: close every published offer whose end date has passed; returns how many were closed."""
    return offers_close_expired()
