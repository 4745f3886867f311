"""The available-assistance survey that runs alongside a cycle: who is asked, the e-mails they get,
how they answer (offers through the offer form, or no new offers) and what the tracking shows."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tahub.accounts.models import Organisation
from tahub.assessments.models import ProviderInvitation, SentMail
from tahub.assessments.selectors import survey_invitations_of, survey_tracking
from tahub.assessments.services.cycles import cycle_close, cycle_create, cycle_send_reminders
from tahub.assessments.services.survey import (
    default_invited_providers,
    survey_declare_no_new_offers,
    survey_set_invited,
)
from tahub.offers.services import offer_create, offer_withdraw
from tahub.reference.models import Country
from tests.assessments.factories import open_cycle, published_version
from tests.offers.factories import offer_data, unitar
from tests.offers.test_manage_pages import form_data
from tests.personas import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def foen(personas):
    """A developed-country Party's government with one person to answer for it."""
    from tahub.accounts.roles import Role

    organisation = Organisation.objects.create(
        name="Federal Office for the Environment", acronym="FOEN", type=Organisation.Type.PARTY_GOVERNMENT,
        country=Country.objects.get(iso3="CHE"),
    )
    make_user("foen@example.org", "Felix Provider", role=Role.PROVIDER, scope=organisation, organisation=organisation)
    return organisation


def test_by_default_the_survey_asks_developed_party_governments_and_igos_with_someone_to_answer(personas, foen):
    nobody_answers = Organisation.objects.create(name="Empty IGO", type=Organisation.Type.IGO)
    kenya_ministry = Organisation.objects.create(
        name="Ministry of Kenya", type=Organisation.Type.PARTY_GOVERNMENT, country=Country.objects.get(iso3="KEN")
    )

    defaults = set(default_invited_providers())

    assert {foen, unitar()} <= defaults
    assert nobody_answers not in defaults and kenya_ministry not in defaults


def test_a_cycle_without_the_survey_asks_no_provider(personas, foen):
    cycle = open_cycle()

    assert not cycle.provider_invitations.exists()


def test_opening_invites_each_asked_providers_people_in_their_language_and_no_one_else(
    personas, foen, django_capture_on_commit_callbacks
):
    personas.provider_unitar.preferred_language = "fr"
    personas.provider_unitar.save()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        cycle = open_cycle(providers=[unitar(), foen])

    providers = {"foen@example.org", "prov.unitar@example.org"}
    survey_mails = [message for message in mail.outbox if set(message.to) & providers]
    assert sorted(address for message in survey_mails for address in message.to) == sorted(providers)
    english = next(message for message in survey_mails if message.to == ["foen@example.org"])
    assert "Federal Office for the Environment" in english.body and "survey" in english.subject.lower()
    french = next(message for message in survey_mails if message.to == ["prov.unitar@example.org"])
    assert "Mes offres" in french.body
    recorded = SentMail.objects.filter(cycle=cycle, organisation__isnull=False, kind=SentMail.Kind.INVITATION)
    assert sorted(recorded.values_list("recipient", flat=True)) == ["foen@example.org", "prov.unitar@example.org"]
    assert all(invitation.invited_at for invitation in cycle.provider_invitations.all())
    # Party focal points get their own invitation, not the survey's.
    to_parties = [message for message in mail.outbox if not set(message.to) & providers]
    assert to_parties and not any("survey" in message.subject.lower() for message in to_parties)


def test_reminders_go_only_to_providers_that_have_not_answered(personas, foen, django_capture_on_commit_callbacks):
    today = date(2026, 6, 20)
    with django_capture_on_commit_callbacks(execute=True):
        cycle = open_cycle(providers=[unitar(), foen], closes_on=today + timedelta(days=10))
    survey_declare_no_new_offers(actor=personas.provider_unitar, invitation=cycle.provider_invitations.get(organisation=unitar()))
    mail.outbox.clear()

    cycle_send_reminders(cycle_id=cycle.pk, today=today)

    reminded = {address for message in mail.outbox if "survey" in message.subject for address in message.to}
    assert reminded == {"foen@example.org"}
    mail.outbox.clear()
    cycle_send_reminders(cycle_id=cycle.pk, today=today)  # once a day at most
    assert not [message for message in mail.outbox if "survey" in message.subject]


def test_no_reminder_before_the_reminder_window_unless_forced(personas, foen):
    today = date(2026, 3, 1)
    cycle = open_cycle(providers=[foen], closes_on=today + timedelta(days=60))
    mail.outbox.clear()

    cycle_send_reminders(cycle_id=cycle.pk, today=today)
    assert not [message for message in mail.outbox if "survey" in message.subject]

    cycle_send_reminders(cycle_id=cycle.pk, today=today, force=True)
    assert [message.to for message in mail.outbox if "survey" in message.subject] == [["foen@example.org"]]


def test_an_offer_reported_in_the_survey_answers_it_and_shows_in_the_tracking(personas, foen):
    cycle = open_cycle(providers=[unitar(), foen])

    offer = offer_create(actor=personas.provider_unitar, provider=unitar(), data=offer_data(), survey_cycle=cycle)

    assert offer.survey_cycle == cycle
    invitation = cycle.provider_invitations.get(organisation=unitar())
    assert invitation.responded_at is not None and not invitation.no_new_offers
    tracking = survey_tracking(cycle)
    assert (tracking["invited"], tracking["with_offers"], tracking["no_new_offers"], tracking["waiting"]) == (2, 1, 0, 1)
    assert tracking["offers"] == 1 and tracking["rate"] == 50
    rows = {row.organisation.acronym: row for row in tracking["rows"]}
    assert rows["UNITAR"].offers_reported == 1 and rows["FOEN"].offers_reported == 0


def test_a_withdrawn_survey_offer_is_not_counted(personas):
    cycle = open_cycle(providers=[unitar()])
    offer = offer_create(actor=personas.provider_unitar, provider=unitar(), data=offer_data(), survey_cycle=cycle)

    offer_withdraw(actor=personas.provider_unitar, offer=offer, reason="Cancelled")

    assert survey_tracking(cycle)["offers"] == 0


def test_no_new_offers_is_recorded_with_its_comment_and_history(personas):
    cycle = open_cycle(providers=[unitar()])
    invitation = cycle.provider_invitations.get()

    survey_declare_no_new_offers(actor=personas.provider_unitar, invitation=invitation, comment="Next year")

    invitation.refresh_from_db()
    assert invitation.no_new_offers and invitation.comment == "Next year" and invitation.responded_at
    assert invitation.history.latest().history_user == personas.provider_unitar
    assert survey_tracking(cycle)["no_new_offers"] == 1


def test_only_the_providers_people_or_the_secretariat_answer_for_it(personas, foen):
    cycle = open_cycle(providers=[foen])
    invitation = cycle.provider_invitations.get()

    with pytest.raises(PermissionDenied):
        survey_declare_no_new_offers(actor=personas.provider_unitar, invitation=invitation)
    with pytest.raises(PermissionDenied):
        offer_create(actor=personas.provider_unitar, provider=foen, data=offer_data(), survey_cycle=cycle)
    survey_declare_no_new_offers(actor=personas.secretariat, invitation=invitation, comment="Said by letter")
    assert ProviderInvitation.objects.get(pk=invitation.pk).no_new_offers


def test_a_provider_not_asked_or_a_closed_survey_takes_no_answer(personas, foen):
    cycle = open_cycle(providers=[foen])
    with pytest.raises(ValidationError, match="not invited"):
        offer_create(actor=personas.provider_unitar, provider=unitar(), data=offer_data(), survey_cycle=cycle)

    cycle_close(actor=personas.secretariat, cycle=cycle)
    with pytest.raises(ValidationError, match="not open"):
        survey_declare_no_new_offers(actor=personas.secretariat, invitation=cycle.provider_invitations.get())
    assert not cycle.survey_offers.exists()


def test_no_new_offers_is_refused_once_offers_are_reported(personas):
    cycle = open_cycle(providers=[unitar()])
    offer_create(actor=personas.provider_unitar, provider=unitar(), data=offer_data(), survey_cycle=cycle)

    with pytest.raises(ValidationError):
        survey_declare_no_new_offers(actor=personas.provider_unitar, invitation=cycle.provider_invitations.get())


def test_who_is_asked_changes_only_while_the_cycle_is_a_draft(personas, foen):
    draft = cycle_create(
        actor=personas.secretariat, title="Draft", version=published_version(), period_start=date(2020, 1, 1),
        period_end=date(2023, 12, 31), opens_on=date(2026, 1, 1), closes_on=date(2026, 6, 30),
        offers_survey=True, providers=[foen],
    )
    survey_set_invited(actor=personas.secretariat, cycle=draft, organisations=[unitar()])
    assert list(draft.provider_invitations.values_list("organisation__acronym", flat=True)) == ["UNITAR"]

    with pytest.raises(PermissionDenied):
        survey_set_invited(actor=personas.provider_unitar, cycle=draft, organisations=[])
    opened = open_cycle(title="Open", providers=[foen])
    with pytest.raises(ValidationError):
        survey_set_invited(actor=personas.secretariat, cycle=opened, organisations=[unitar()])


def test_a_provider_sees_only_the_open_surveys_asking_its_organisation(personas, foen):
    asking = open_cycle(title="Asks UNITAR", providers=[unitar()])
    open_cycle(title="Asks FOEN", providers=[foen])
    closed = open_cycle(title="Closed", providers=[unitar()])
    cycle_close(actor=None, cycle=closed)

    assert [invitation.cycle for invitation in survey_invitations_of(personas.provider_unitar)] == [asking]
    assert not survey_invitations_of(personas.focal_kenya).exists()


def test_the_survey_tracking_takes_one_query_whatever_the_number_of_providers(personas, django_assert_num_queries):
    from tahub.accounts.roles import Role

    few = open_cycle(title="Few", providers=[unitar()])
    many_providers = [unitar()]
    for number in range(30):
        organisation = Organisation.objects.create(name=f"Agency {number}", type=Organisation.Type.IGO)
        make_user(f"agency{number}@example.org", f"Agent {number}", role=Role.PROVIDER, scope=organisation, organisation=organisation)
        many_providers.append(organisation)
    many = open_cycle(title="Many", providers=many_providers)

    with django_assert_num_queries(1):
        survey_tracking(few)
    with django_assert_num_queries(1):
        assert survey_tracking(many)["invited"] == 31


def test_a_provider_answers_through_the_pages_without_javascript(personas, client_for):
    cycle = open_cycle(providers=[unitar()])
    invitation = cycle.provider_invitations.get()
    client = client_for(personas.provider_unitar)

    listing = client.get(reverse("offers:my_offers"))
    assert reverse("offers:survey_answer", args=[invitation.pk]) in listing.content.decode()

    page = client.get(reverse("offers:survey_answer", args=[invitation.pk]))
    assert f"?survey={invitation.pk}" in page.content.decode()

    form = client.get(reverse("offers:offer_create") + f"?survey={invitation.pk}")
    assert 'name="provider"' not in form.content.decode()  # the survey fixes the provider
    created = client.post(
        reverse("offers:offer_create") + f"?survey={invitation.pk}",
        form_data(title="E-learning on the Basel Convention"),
    )
    assert created.status_code == 302
    assert cycle.survey_offers.get().title == "E-learning on the Basel Convention"


def test_declaring_no_new_offers_through_the_page(personas, client_for):
    cycle = open_cycle(providers=[unitar()])
    invitation = cycle.provider_invitations.get()

    response = client_for(personas.provider_unitar).post(
        reverse("offers:survey_answer", args=[invitation.pk]), {"comment": "Budget not yet decided"}
    )

    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.no_new_offers and invitation.comment == "Budget not yet decided"


def test_another_providers_invitation_is_not_found(personas, client_for, foen):
    cycle = open_cycle(providers=[foen])
    invitation = cycle.provider_invitations.get()
    client = client_for(personas.provider_unitar)

    assert client.get(reverse("offers:survey_answer", args=[invitation.pk])).status_code == 404
    assert client.get(reverse("offers:offer_create") + f"?survey={invitation.pk}").status_code == 404
    assert client.post(reverse("offers:survey_answer", args=[invitation.pk]), {"comment": "x"}).status_code == 404
    assert not ProviderInvitation.objects.get(pk=invitation.pk).no_new_offers


def test_the_secretariat_sees_who_answered_on_the_cycle_page(personas, client_for, foen):
    cycle = open_cycle(providers=[unitar(), foen])
    survey_declare_no_new_offers(actor=personas.provider_unitar, invitation=cycle.provider_invitations.get(organisation=unitar()))

    page = client_for(personas.secretariat).get(reverse("assessments:cycle_detail", args=[cycle.pk])).content.decode()

    assert "Available-assistance survey" in page
    assert "Federal Office for the Environment" in page and "Not answered yet" in page and "No new offers" in page
    focal_page = client_for(personas.focal_kenya).get(reverse("assessments:cycle_detail", args=[cycle.pk]))
    assert "Federal Office for the Environment" not in focal_page.content.decode()
