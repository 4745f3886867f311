"""Demo people and organisations: deterministic, idempotent, scalable for benchmarks."""

import random
from functools import cache

from django.contrib.auth.hashers import make_password
from django.db import transaction

from tahub.accounts.models import Membership, Organisation, User
from tahub.accounts.roles import Role
from tahub.accounts.services import membership_grant, user_create
from tahub.reference.models import Country, RegionalCentre, RegionalGroup

DEMO_PASSWORD = "basel-demo-2026"
DOMAIN = "demo.tahub.example"

FIRST_NAMES = [
    "Amina", "Kwame", "Fatou", "Chen", "Mei", "Olga", "Ivan", "Lucía", "Mateo", "Sofía", "Ahmed", "Layla",
    "Nadia", "Pierre", "Claire", "Rahul", "Priya", "Tomás", "Ana", "Yusuf", "Hana", "Kenji", "Sione", "Mele",
    "Grace", "Joseph", "Elena", "Mihai", "Zainab", "Omar", "Ingrid", "Lars", "Thandiwe", "Sipho", "Aroha", "Nguyen",
]  # fmt: skip
LAST_NAMES = [
    "Diallo", "Mensah", "Ndiaye", "Wang", "Li", "Petrova", "Ivanov", "García", "Fernández", "Rojas", "Haddad",
    "Mansour", "Benali", "Dubois", "Martin", "Sharma", "Patel", "Silva", "Costa", "Okafor", "Tanaka", "Sato",
    "Tupou", "Fifita", "Mwangi", "Otieno", "Popescu", "Novak", "Kamara", "Farah", "Larsen", "Berg", "Dlamini",
    "Nkosi", "Walker", "Tran",
]  # fmt: skip

PROVIDERS = [
    ("Federal Office for the Environment, Switzerland", "FOEN", Organisation.Type.PARTY_GOVERNMENT, "CHE"),
    ("Ministry of the Environment, Japan", "MOEJ", Organisation.Type.PARTY_GOVERNMENT, "JPN"),
    ("Norwegian Environment Agency", "NEA", Organisation.Type.PARTY_GOVERNMENT, "NOR"),
    ("Federal Ministry for the Environment, Germany", "BMUKN", Organisation.Type.PARTY_GOVERNMENT, "DEU"),
    ("Swedish Environmental Protection Agency", "SEPA", Organisation.Type.PARTY_GOVERNMENT, "SWE"),
    ("Ministry for Ecological Transition, France", "MTE", Organisation.Type.PARTY_GOVERNMENT, "FRA"),
    ("Department of Climate Change, Energy, the Environment and Water, Australia", "DCCEEW", Organisation.Type.PARTY_GOVERNMENT, "AUS"),
    ("United Nations Environment Programme", "UNEP", Organisation.Type.IGO, None),
    ("United Nations Industrial Development Organization", "UNIDO", Organisation.Type.IGO, None),
    ("United Nations Institute for Training and Research", "UNITAR", Organisation.Type.IGO, None),
    ("World Customs Organization", "WCO", Organisation.Type.IGO, None),
    ("International Pollutants Elimination Network", "IPEN", Organisation.Type.NGO, None),
    ("Basel Action Network", "BAN", Organisation.Type.NGO, None),
    ("Institute for Applied Ecology", "Oeko-Institut", Organisation.Type.ACADEMIA, "DEU"),
    ("Sustainable Recycling Industries programme", "SRI", Organisation.Type.PRIVATE_SECTOR, "CHE"),
]
FOCAL_POINT_PARTIES = 40
SECRETARIAT_TEAM = [
    ("secretariat@" + DOMAIN, "Head of technical assistance"),
    ("programme.officer@" + DOMAIN, "Programme officer, technical assistance"),
    ("capacity.officer@" + DOMAIN, "Capacity-building officer"),
    ("partnerships@" + DOMAIN, "Partnerships and resource mobilisation officer"),
    ("information.officer@" + DOMAIN, "Information and clearing-house officer"),
    ("legal.officer@" + DOMAIN, "Legal officer"),
]


class _Names:
    def __init__(self, rng):
        self.rng = rng

    def __call__(self):
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"


@cache
def _demo_password_hash():
    # Hashing is deliberately slow; hashing once keeps --scale 10 seeding fast.
    return make_password(DEMO_PASSWORD)


def _person(email, full_name, *, organisation=None, job_title="", is_staff=False):
    """Get or create a demo user; an existing one is left as it is."""
    user = User.objects.filter(email=email).first()
    if user is None:
        user = user_create(actor=None, email=email, full_name=full_name, organisation=organisation, job_title=job_title)
        user.password = _demo_password_hash()
        user.is_staff = user.is_superuser = is_staff
        user.save(update_fields=["password", "is_staff", "is_superuser"])
    return user


def _organisation(name, acronym, type_, country=None, centre=None):
    organisation, _created = Organisation.objects.get_or_create(
        name=name, defaults={"acronym": acronym, "type": type_, "country": country, "centre": centre}
    )
    return organisation


def _slug(text):
    return "".join(ch if ch.isalnum() else "." for ch in text.lower()).strip(".")


@transaction.atomic
def seed_people(*, scale=1, seed=2026):
    """Create the demo team, centres' staff, Parties' focal points and providers.

    Returns a list of ``(role, email, scope)`` for the accounts worth printing. Runs again
    without duplicating: people are keyed by e-mail, organisations by name.
    """
    rng = random.Random(seed)
    name = _Names(rng)
    showcase = []

    secretariat_org = _organisation("Secretariat of the Basel Convention", "SBC", Organisation.Type.SECRETARIAT)
    for index, (email, title) in enumerate(SECRETARIAT_TEAM):
        user = _person(email, name(), organisation=secretariat_org, job_title=title, is_staff=True)
        membership_grant(actor=None, user=user, role=Role.SECRETARIAT)
        if index == 0:
            showcase.append((Role.SECRETARIAT, email, ""))

    for group in RegionalGroup.objects.order_by("order"):
        email = f"rfp.{group.code.lower()}@{DOMAIN}"
        user = _person(email, name(), organisation=secretariat_org, job_title="Regional focal point")
        membership_grant(actor=None, user=user, role=Role.REGIONAL_FOCAL_POINT, scope=group)
        showcase.append((Role.REGIONAL_FOCAL_POINT, email, group.name_en))

    for centre in RegionalCentre.objects.filter(status=RegionalCentre.Status.ACTIVE).order_by("acronym"):
        organisation = _organisation(centre.name, centre.acronym, Organisation.Type.REGIONAL_CENTRE, centre.host_country, centre)
        for number in range(1, 1 + max(1, scale)):
            email = f"centre.{centre.slug}{'' if number == 1 else number}@{DOMAIN}"
            user = _person(email, name(), organisation=organisation, job_title="Programme officer")
            membership_grant(actor=None, user=user, role=Role.CENTRE_STAFF, scope=centre)
        if centre.slug == "senegal":
            showcase.append((Role.CENTRE_STAFF, f"centre.{centre.slug}@{DOMAIN}", centre.acronym))

    eligible = list(
        Country.objects.parties().eligible_for_assistance().select_related("regional_group").order_by("iso3")
    )
    chosen = _spread_over_groups(eligible, FOCAL_POINT_PARTIES * scale, seed)
    seen = {}
    for country in chosen:
        seen[country.iso3] = seen.get(country.iso3, 0) + 1
        number = seen[country.iso3]
        ministry = _organisation(
            f"Ministry of Environment of {country.name_en}", "", Organisation.Type.PARTY_GOVERNMENT, country
        )
        email = f"focal.{country.iso3.lower()}{'' if number == 1 else number}@{DOMAIN}"
        user = _person(email, name(), organisation=ministry, job_title="Basel Convention focal point")
        membership_grant(actor=None, user=user, role=Role.PARTY_FOCAL_POINT, scope=country)
        if number == 1 and country.iso3 in {"KEN", "SEN", "PER"}:
            showcase.append((Role.PARTY_FOCAL_POINT, email, country.name_en))
        if number == 1 and country.iso3 == "KEN":
            contributor = _person(f"contributor.ken@{DOMAIN}", name(), organisation=ministry, job_title="Waste officer")
            membership_grant(actor=None, user=contributor, role=Role.CONTRIBUTOR, scope=country)
            showcase.append((Role.CONTRIBUTOR, contributor.email, country.name_en))

    countries = {country.iso3: country for country in Country.objects.filter(iso3__in=[p[3] for p in PROVIDERS if p[3]])}
    for copy in range(max(1, scale)):
        for org_name, acronym, type_, iso3 in PROVIDERS:
            full_name = org_name if copy == 0 else f"{org_name} (programme {copy + 1})"
            organisation = _organisation(full_name, acronym, type_, countries.get(iso3))
            email = f"provider.{_slug(acronym)}{'' if copy == 0 else copy + 1}@{DOMAIN}"
            user = _person(email, name(), organisation=organisation, job_title="Technical cooperation officer")
            membership_grant(actor=None, user=user, role=Role.PROVIDER, scope=organisation)
            if copy == 0 and acronym in {"FOEN", "UNITAR"}:
                showcase.append((Role.PROVIDER, email, org_name))
    return showcase


def _spread_over_groups(countries, count, seed):
    """Pick ``count`` focal-point slots, round-robin over regional groups.

    Every Party gets one before any gets a second. The order depends only on ``seed``, so a
    larger ``count`` extends a smaller one (scale 3 keeps the focal points of scale 1).
    """
    rng = random.Random(seed)
    # Kenya, Senegal and Peru always have a focal point: the docs and tests use them.
    anchors = [country for country in countries if country.iso3 in {"KEN", "SEN", "PER"}]
    by_group = {}
    for country in countries:
        if country not in anchors:
            by_group.setdefault(country.regional_group_id, []).append(country)
    groups = [by_group[key] for key in sorted(by_group)]
    for members in groups:
        rng.shuffle(members)
    rounds = [anchors]
    for position in range(max(len(members) for members in groups)):
        rounds.append([members[position] for members in groups if position < len(members)])
    one_each = [country for batch in rounds for country in batch]
    return [one_each[index % len(one_each)] for index in range(count)]


def demo_counts():
    return {
        "people": User.objects.count(),
        "organisations": Organisation.objects.count(),
        "roles": Membership.objects.count(),
    }
