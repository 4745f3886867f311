"""Named people, one per role and scope, built through the same services as production."""

from dataclasses import dataclass

from tahub.accounts.models import Organisation, User
from tahub.accounts.roles import Role
from tahub.accounts.services import membership_grant, user_create
from tahub.reference.models import Country, RegionalCentre, RegionalGroup

PASSWORD = "correct-horse-battery-staple"


def make_user(email, full_name, *, role=None, scope=None, organisation=None, password=PASSWORD, is_staff=False):
    user = user_create(actor=None, email=email, full_name=full_name, password=password, organisation=organisation)
    if is_staff:
        user.is_staff = user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    if role is not None:
        membership_grant(actor=None, user=user, role=role, scope=scope)
    return user


@dataclass
class Personas:
    secretariat: User
    rfp_africa: User
    rfp_grulac: User
    centre_senegal: User
    focal_kenya: User
    contributor_kenya: User
    focal_peru: User
    focal_senegal: User
    provider_unitar: User
    no_role: User

    @classmethod
    def create(cls):
        kenya = Country.objects.get(iso3="KEN")
        peru = Country.objects.get(iso3="PER")
        senegal = Country.objects.get(iso3="SEN")
        unitar = Organisation.objects.create(name="UNITAR", acronym="UNITAR", type=Organisation.Type.IGO)
        return cls(
            secretariat=make_user("sec@example.org", "Sara Secretariat", role=Role.SECRETARIAT, is_staff=True),
            rfp_africa=make_user(
                "rfp.africa@example.org", "Rafael Africa", role=Role.REGIONAL_FOCAL_POINT,
                scope=RegionalGroup.objects.get(code="AFRICA"),
            ),
            rfp_grulac=make_user(
                "rfp.grulac@example.org", "Rita Grulac", role=Role.REGIONAL_FOCAL_POINT,
                scope=RegionalGroup.objects.get(code="GRULAC"),
            ),
            centre_senegal=make_user(
                "centre.sen@example.org", "Cheikh Centre", role=Role.CENTRE_STAFF,
                scope=RegionalCentre.objects.get(slug="senegal"),
            ),
            focal_kenya=make_user("fp.ken@example.org", "Faith Kenya", role=Role.PARTY_FOCAL_POINT, scope=kenya),
            contributor_kenya=make_user("co.ken@example.org", "Collins Kenya", role=Role.CONTRIBUTOR, scope=kenya),
            focal_peru=make_user("fp.per@example.org", "Pilar Peru", role=Role.PARTY_FOCAL_POINT, scope=peru),
            focal_senegal=make_user("fp.sen@example.org", "Seydou Senegal", role=Role.PARTY_FOCAL_POINT, scope=senegal),
            provider_unitar=make_user(
                "prov.unitar@example.org", "Pat Provider", role=Role.PROVIDER, scope=unitar, organisation=unitar
            ),
            no_role=make_user("nobody@example.org", "Nora Norole"),
        )
