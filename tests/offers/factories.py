"""Offers built through the real services."""

from datetime import date

from tahub.accounts.models import Organisation
from tahub.offers.services import OfferData, offer_create, offer_publish
from tahub.reference.models import KindOfHelp, Theme


def offer_data(**overrides):
    values = {
        "title": "Training on the environmentally sound management of e-waste",
        "description": "A five-day **training** course for customs officers and inspectors.",
        "modality": "in_person",
        "kinds": list(KindOfHelp.objects.filter(code="training")),
        "themes": list(Theme.objects.filter(code="monitoring")),
        "languages": ["en", "fr"],
        "eligible_developing": True,
        "starts_on": date(2026, 1, 1),
        "ends_on": date(2027, 12, 31),
        "places": 25,
        "contact_email": "training@example.org",
    }
    values.update(overrides)
    return OfferData(**values)


def unitar():
    return Organisation.objects.get(acronym="UNITAR")


def published_offer(actor=None, provider=None, **overrides):
    offer = offer_create(actor=actor, provider=provider or unitar(), data=offer_data(**overrides))
    return offer_publish(actor=actor, offer=offer)
