"""Demo planning: COP mandates, two four-year plans, two programmes of work and their activities,
reports and follow-up evaluations. Realistic, deterministic and idempotent.

- **Mandates**: COP-11, COP-12, COP-14, COP-16 and COP-17 of the Basel Convention (Geneva), and
  three decisions with their public symbols and titles (BC-11/13, BC-12/9, BC-14/18). The
  paragraphs are short summaries written for the demo, marked illustrative: they are not the
  official wording. COP-16 and COP-17 have no decision here rather than invented symbols.
- **Plans**: the technical assistance plan 2022–2025 (adopted) and 2026–2029 (a draft), each with a
  goal, one objective per convention and priority areas drawn from a needs-assessment cycle (the
  2020 cycle for 2022–2025, the 2024 cycle for 2026–2029), with expected results.
- **Programmes**: 2024–2025 (about 80 activities at scale 1, nearly all of them over: mostly
  completed, some cancelled or postponed) and 2026–2027 (about 70, most still to come or under way
  on the day of seeding). Each activity is drawn from its own random generator (seeded with
  ``seed``, the biennium and its number) and known by its code, so a larger scale extends a
  smaller one and a second run creates nothing.
- **Outputs**: completed activities are reported on (participants by country and sex, materials,
  indicator values), and the reports approved, a few left waiting for the Secretariat and one
  returned; some of the follow-up evaluations that are due are answered.

Everything goes through ``planning.services`` (actor None, the system). What the services cannot
express, because it happened in the past, is set directly afterwards, each place saying so: the
adoption of the 2022–2025 plan (no decision symbol is invented for it), the date of its evidence,
and the moments reports were submitted and reviewed and evaluations sent and answered.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from tahub.accounts.models import Organisation
from tahub.assessments.models import Cycle, Need
from tahub.assistance.demo_data import ARABIC_SPEAKING, PORTUGUESE_SPEAKING, RUSSIAN_SPEAKING
from tahub.assistance.models import Request
from tahub.core.logs import quiet_tasks
from tahub.matching.models import Match
from tahub.offers.demo_data import FRENCH_SPEAKING, SPANISH_SPEAKING
from tahub.planning import services
from tahub.planning.models import (
    Activity,
    ActivityReport,
    Decision,
    Evaluation,
    Meeting,
    Paragraph,
    Plan,
    PriorityArea,
    Programme,
)
from tahub.reference.models import Convention, Country, RegionalCentre, RegionalGroup, Theme

V, A = Paragraph.Verb, Paragraph.Addressee
T, L, LEAD, S = Activity.Type, Activity.Level, Activity.Lead, Activity.Status

# -- Mandates ---------------------------------------------------------------------------------------

# COP meetings of the Basel Convention: number, first and last day, place.
MEETINGS = [
    (11, date(2013, 4, 28), date(2013, 5, 10), "Geneva"),
    (12, date(2015, 5, 4), date(2015, 5, 15), "Geneva"),
    (14, date(2019, 4, 29), date(2019, 5, 10), "Geneva"),
    (16, date(2023, 5, 1), date(2023, 5, 12), "Geneva"),
    (17, date(2025, 4, 28), date(2025, 5, 9), "Geneva"),
]

# Decisions with their public symbols and titles. The paragraph texts are summaries written for the
# demo (illustrative, not the official wording): number, verb, addressee, text, asks action, by,
# and a key the plans and activities below link them by.
DECISIONS = [
    ("BC-11/13", 11, "Process for evaluating the performance and sustainability of the Basel Convention regional and coordinating centres", [
        ("1", V.TAKES_NOTE, A.NONE, "Takes note of the report on the performance and sustainability of the regional and coordinating centres.", False, None, ""),
        ("2", V.ADOPTS, A.NONE, "Adopts criteria and a process for evaluating the performance and sustainability of the centres.", False, None, ""),
        ("3", V.REQUESTS, A.CENTRES, "Asks the centres to prepare business plans and to report on their activities against the evaluation criteria.", True, date(2014, 12, 31), "11.business_plans"),
        ("4", V.REQUESTS, A.SECRETARIAT, "Asks the Secretariat to evaluate the performance and sustainability of the centres against the criteria and to report to the next meeting.", True, date(2015, 1, 31), "11.evaluate"),
        ("5", V.INVITES, A.PARTIES, "Invites Parties and others in a position to do so to support the centres financially and in kind.", True, None, ""),
        ("6", V.REQUESTS, A.SECRETARIAT, "Asks the Secretariat to help the centres mobilise resources and to involve them in delivering technical assistance.", True, date(2015, 1, 31), "11.involve"),
    ]),
    ("BC-12/9", 12, "Technical assistance", [
        ("1", V.WELCOMES, A.NONE, "Welcomes the technical assistance delivered by the Secretariat and the regional centres since the previous meeting.", False, None, ""),
        ("2", V.URGES, A.DEVELOPING_PARTIES, "Urges developing-country Parties and Parties with economies in transition to tell the Secretariat their technical assistance needs.", True, None, ""),
        ("3", V.REQUESTS, A.SECRETARIAT, "Asks the Secretariat to deliver the technical assistance programme with the regional centres and partners, as resources allow.", True, date(2017, 1, 31), "12.deliver"),
        ("4", V.INVITES, A.DEVELOPED_PARTIES, "Invites developed-country Parties and others in a position to do so to fund the technical assistance programme.", True, None, ""),
        ("5", V.REQUESTS, A.CENTRES, "Asks the regional centres to deliver activities in their regions with the Secretariat and to report on them.", True, date(2017, 1, 31), "12.centres"),
        # Nothing answers this one: the paragraph pages show an unanswered request to the Secretariat.
        ("6", V.REQUESTS, A.SECRETARIAT, "Asks the Secretariat to assess the effectiveness of the technical assistance delivered and to report to the next meeting.", True, date(2017, 1, 31), ""),
    ]),
    ("BC-14/18", 14, "Technical assistance", [
        ("1", V.TAKES_NOTE, A.NONE, "Takes note of the report on the technical assistance delivered since the previous meeting.", False, None, ""),
        ("2", V.REQUESTS, A.SECRETARIAT, "Asks the Secretariat to keep delivering technical assistance on the needs Parties rate highest, notably e-waste, plastic waste and the prevention of illegal traffic.", True, date(2021, 1, 31), "14.priorities"),
        ("3", V.REQUESTS, A.SECRETARIAT, "Asks the Secretariat to assess the technical assistance needs of Parties and to draft a four-year technical assistance plan on that basis.", True, date(2021, 1, 31), "14.plan"),
        ("4", V.REQUESTS, A.SECRETARIAT, "Asks the Secretariat to develop guidance and training materials, in the official languages as resources allow.", True, date(2021, 1, 31), "14.materials"),
        ("5", V.ENCOURAGES, A.PARTIES, "Encourages Parties to use the clearing-house mechanism to submit their requests for and offers of technical assistance.", True, None, ""),
        ("6", V.INVITES, A.OTHERS, "Invites developed-country Parties, international organisations and others in a position to do so to provide financial and in-kind resources.", True, None, ""),
        ("7", V.REQUESTS, A.CENTRES, "Asks the regional centres to align their business plans with the technical assistance plan and to report on their activities.", True, date(2021, 1, 31), "14.align"),
    ]),
]

# -- Plans --------------------------------------------------------------------------------------------

# Units of expected results, and what an activity's report gives for each.
UNITS = {
    "people": "people trained",
    "parties": "Parties",
    "documents": "guidance documents",
    "laws": "draft laws or regulations",
    "inventories": "national inventories",
}


@dataclass(frozen=True)
class AreaSpec:
    title: str
    themes: tuple
    regions: tuple
    rationale: str
    paragraphs: tuple
    results: tuple  # (text, indicator, unit key, baseline, target)


@dataclass(frozen=True)
class PlanSpec:
    title: str
    start_year: int
    end_year: int
    cycle_year: int  # the needs-assessment cycle the priority areas are drawn from
    adopted: bool
    goal: str
    objectives: dict  # convention code → objective
    paragraphs: tuple
    areas: tuple


PLANS = [
    PlanSpec(
        title="Technical assistance plan 2022–2025", start_year=2022, end_year=2025, cycle_year=2020, adopted=True,
        goal="Parties have the capacity to manage hazardous and other wastes in an environmentally sound manner, to "
             "control their transboundary movements and to meet their obligations under the conventions.",
        objectives={
            "basel": "Parties control transboundary movements of hazardous and other wastes and manage them in an environmentally sound manner.",
            "rotterdam": "Parties take informed decisions on the import of hazardous chemicals and share information on them.",
            "stockholm": "Parties eliminate or reduce releases of persistent organic pollutants and manage POPs wastes soundly.",
        },
        paragraphs=("14.plan", "14.priorities", "11.involve"),
        areas=(
            AreaSpec("Environmentally sound management of e-waste", ("waste_management.ewaste",), ("AFRICA", "ASIA_PACIFIC"),
                     "E-waste was the need African and Asia-Pacific Parties most often rated high in the 2020 needs assessment.",
                     ("14.priorities", "12.deliver"), (
                         ("Parties complete a national e-waste inventory", "Parties that completed a national e-waste inventory with support", "inventories", 4, 20),
                         ("Officials are trained in the sound management of e-waste", "Officials trained in the sound management of e-waste", "people", 0, 600),
                     )),
            AreaSpec("Plastic waste and the Plastic Waste Amendments", ("waste_management.plastic",), (),
                     "The Plastic Waste Amendments apply since 1 January 2021; many Parties asked for help to apply them.",
                     ("14.priorities",), (
                         ("Parties apply the amended entries for plastic waste", "Parties supported in applying the Plastic Waste Amendments", "parties", 0, 60),
                         ("Officials are trained on plastic waste", "Officials trained on the control and management of plastic waste", "people", 0, 500),
                     )),
            AreaSpec("Preventing and combating illegal traffic", ("enforcement",), (),
                     "Enforcement needs were rated high or medium in every region in the 2020 needs assessment.",
                     ("14.priorities", "12.deliver"), (
                         ("Customs and enforcement officers are trained", "Customs and enforcement officers trained", "people", 0, 900),
                         ("Parties strengthen their enforcement", "Parties supported in strengthening enforcement", "parties", 0, 45),
                         ("Enforcement guidance is available", "Guidance and training tools on illegal traffic published", "documents", 2, 6),
                     )),
            AreaSpec("Legal frameworks and competent authorities", ("legal",), ("EASTERN_EUROPE", "GRULAC"),
                     "Parties of Eastern Europe and of Latin America and the Caribbean rated legal frameworks among their highest needs.",
                     ("12.deliver",), (
                         ("Parties draft national legislation", "Draft laws or regulations prepared with support", "laws", 0, 12),
                     )),
            AreaSpec("Inventories, monitoring and national reporting", ("monitoring", "information"), (),
                     "Gaps in inventories and national reports limit what Parties and the Secretariat know about waste flows.",
                     ("14.priorities",), (
                         ("Parties report on time and in full", "Parties supported in national reporting", "parties", 0, 50),
                         ("Staff are trained in inventories and reporting", "Officials trained in inventories and reporting", "people", 0, 400),
                     )),
        ),
    ),
    PlanSpec(
        title="Technical assistance plan 2026–2029", start_year=2026, end_year=2029, cycle_year=2024, adopted=False,
        goal="Parties, with the regional centres, close the gaps the 2024 needs assessment found in the sound management "
             "and control of hazardous and other wastes, chemicals and persistent organic pollutants.",
        objectives={
            "basel": "Parties apply the Basel Convention in full, including its amendments on plastic waste and e-waste.",
            "rotterdam": "Parties apply the prior informed consent procedure and take and report import decisions.",
            "stockholm": "Parties manage POPs wastes and stockpiles soundly and report on their national implementation plans.",
        },
        paragraphs=("14.plan",),
        areas=(
            AreaSpec("E-waste and used lead-acid batteries in Africa", ("waste_management.ewaste", "waste_management.ulab"), ("AFRICA",),
                     "African Parties rated e-waste and used lead-acid batteries their highest needs in the 2024 needs assessment.",
                     ("14.priorities",), (
                         ("National e-waste and battery inventories are completed", "National inventories of e-waste or used batteries completed", "inventories", 0, 15),
                         ("Officials are trained in the sound management of e-waste and batteries", "Officials trained", "people", 0, 500),
                     )),
            AreaSpec("Plastic waste in Asia-Pacific, Latin America and the Caribbean", ("waste_management.plastic",), ("ASIA_PACIFIC", "GRULAC"),
                     "Plastic waste stays among the highest needs of Asia-Pacific and Caribbean Parties.",
                     ("14.priorities",), (
                         ("Parties control plastic waste shipments", "Parties supported in controlling plastic waste shipments", "parties", 0, 35),
                         ("Officials are trained on plastic waste", "Officials trained on plastic waste", "people", 0, 400),
                     )),
            AreaSpec("Enforcement and the prevention of illegal traffic", ("enforcement",), (),
                     "Every region rated enforcement a high or medium need in the 2024 needs assessment.",
                     ("14.priorities", "12.deliver"), (
                         ("Customs and enforcement officers are trained", "Customs and enforcement officers trained", "people", 0, 800),
                         ("Parties strengthen their enforcement", "Parties supported in strengthening enforcement", "parties", 0, 40),
                     )),
            AreaSpec("Legal frameworks in Eastern Europe", ("legal",), ("EASTERN_EUROPE",),
                     "Parties of Eastern Europe ask most for help with legislation and institutions.",
                     ("12.deliver",), (
                         ("Parties draft national legislation", "Draft laws or regulations prepared with support", "laws", 0, 6),
                     )),
            AreaSpec("Mercury and POPs wastes", ("waste_management.mercury", "waste_management.pops"), (),
                     "Mercury wastes in Latin America and POPs wastes in Eastern Europe remain high needs; they join up Basel and Stockholm work.",
                     (), (
                         ("Guidance on mercury and POPs wastes is available", "Guidance documents published", "documents", 0, 4),
                         ("Officials are trained on mercury and POPs wastes", "Officials trained", "people", 0, 300),
                         ("Parties plan the disposal of POPs and mercury wastes", "Parties supported in planning disposal", "parties", 0, 20),
                     )),
            AreaSpec("Emergency preparedness and response", ("emergency",), ("AFRICA", "GRULAC"),
                     "Incidents with hazardous wastes at ports and dump sites led several African and Latin American Parties to ask for help.",
                     (), (
                         ("Parties have emergency response plans", "Parties supported in preparing emergency response plans", "parties", 0, 15),
                     )),
        ),
    ),
]

# Programmes: first year, plan, activities at scale 1, share planned in the first year.
PROGRAMMES = [(2024, "Technical assistance plan 2022–2025", 80, 0.5), (2026, "Technical assistance plan 2026–2029", 70, 0.35)]

# -- Activities ----------------------------------------------------------------------------------------

# What an activity on a theme is about, in a title.
TOPICS = {
    "notification.procedure": ["the prior informed consent procedure", "notifications and movement documents"],
    "notification.electronic": ["electronic notification of transboundary movements"],
    "notification.classification": ["the classification of wastes", "distinguishing waste from non-waste"],
    "waste_management.ewaste": ["e-waste inventories", "the sound management of e-waste", "e-waste collection and refurbishment"],
    "waste_management.plastic": ["the Plastic Waste Amendments", "plastic waste inventories", "the sound management of plastic waste"],
    "waste_management.pops": ["POPs wastes", "PCB-containing equipment and wastes"],
    "waste_management.mercury": ["mercury wastes", "mercury wastes from artisanal gold mining"],
    "waste_management.ulab": ["used lead-acid batteries", "the recycling of used lead-acid batteries"],
    "waste_management.biomedical": ["biomedical and healthcare wastes"],
    "waste_management.household": ["household wastes"],
    "waste_management.minimisation": ["waste prevention and minimisation"],
    "technologies.recycling": ["sound recycling technologies"],
    "technologies.cleaner_production": ["cleaner production"],
    "disposal.facilities": ["disposal facilities for hazardous wastes"],
    "disposal.contaminated_sites": ["the remediation of contaminated sites"],
    "monitoring.inventories": ["national inventories of hazardous wastes"],
    "monitoring.laboratories": ["laboratory analysis of hazardous wastes"],
    "emergency.preparedness": ["emergency preparedness for hazardous waste incidents"],
    "emergency.incidents": ["the response to hazardous waste incidents"],
    "legal.legislation": ["national legislation on hazardous wastes", "drafting national legislation"],
    "legal.institutions": ["competent authorities and institutional arrangements"],
    "enforcement.customs": ["the detection of illegal waste shipments", "customs controls of waste shipments"],
    "enforcement.prosecution": ["the prosecution of illegal traffic"],
    "coordination.national": ["national coordination on hazardous wastes"],
    "coordination.regional": ["regional cooperation on hazardous wastes"],
    "information.reporting": ["national reporting under the Basel Convention", "the electronic reporting system"],
    "information.awareness": ["public awareness of hazardous wastes"],
}

# Why: one sentence per top-level theme.
PURPOSES = {
    "notification": "It helps competent authorities apply the prior informed consent procedure and handle notifications without delay.",
    "waste_management": "It helps Parties manage these wastes in an environmentally sound manner, from collection to final disposal.",
    "technologies": "It brings together authorities and operators to compare technologies and their environmental performance.",
    "disposal": "It helps Parties plan and oversee sound disposal and the remediation of contaminated land.",
    "monitoring": "It helps Parties know the wastes they generate, where they go and what laboratories can measure.",
    "emergency": "It prepares authorities to prevent and respond to incidents involving hazardous wastes.",
    "legal": "It helps Parties bring their legislation and institutions in line with their obligations.",
    "enforcement": "It gives customs, police and environment inspectors the means to detect, stop and prosecute illegal shipments.",
    "coordination": "It strengthens cooperation among ministries, and among the Parties and centres of the region.",
    "information": "It helps Parties report on time and inform the public about hazardous wastes.",
}

# 20 slots: types by exact shares. Slot 8 of every 40 is the yearly meeting of the regional centres.
TYPE_SLOTS = [
    T.WORKSHOP, T.WEBINAR, T.EXPERT_MISSION, T.NATIONAL_PROJECT, T.GUIDANCE, T.WORKSHOP, T.ONLINE_COURSE, T.SMALL_GRANT,
    T.MEETING, T.REGIONAL_PROJECT, T.WORKSHOP, T.STUDY_VISIT, T.EXPERT_MISSION, T.WEBINAR, T.NATIONAL_PROJECT,
    T.WORKSHOP, T.GUIDANCE, T.MEETING, T.REGIONAL_PROJECT, T.SMALL_GRANT,
]
CENTRES_MEETING_SLOT = 8  # of every 40

LEVELS = {
    T.WORKSHOP: [(L.NATIONAL, 3), (L.SUBREGIONAL, 3), (L.REGIONAL, 4), (L.GLOBAL, 1)],
    T.WEBINAR: [(L.REGIONAL, 4), (L.GLOBAL, 3)],
    T.ONLINE_COURSE: [(L.GLOBAL, 3), (L.REGIONAL, 2)],
    T.EXPERT_MISSION: [(L.NATIONAL, 1)],
    T.STUDY_VISIT: [(L.NATIONAL, 2), (L.SUBREGIONAL, 2)],
    T.NATIONAL_PROJECT: [(L.NATIONAL, 1)],
    T.REGIONAL_PROJECT: [(L.REGIONAL, 2), (L.SUBREGIONAL, 2)],
    T.GUIDANCE: [(L.GLOBAL, 3), (L.REGIONAL, 1)],
    T.MEETING: [(L.REGIONAL, 3), (L.SUBREGIONAL, 1), (L.GLOBAL, 1)],
    T.SMALL_GRANT: [(L.NATIONAL, 1)],
}
NATIONAL_TYPES = [T.EXPERT_MISSION, T.NATIONAL_PROJECT, T.SMALL_GRANT]

# Days from start to end.
DURATION = {
    T.WORKSHOP: (2, 5), T.WEBINAR: (0, 0), T.ONLINE_COURSE: (30, 90), T.EXPERT_MISSION: (3, 10),
    T.STUDY_VISIT: (4, 7), T.NATIONAL_PROJECT: (180, 540), T.REGIONAL_PROJECT: (270, 600), T.GUIDANCE: (90, 300),
    T.MEETING: (1, 3), T.SMALL_GRANT: (180, 365),
}
PROJECTS = {T.NATIONAL_PROJECT, T.REGIONAL_PROJECT, T.SMALL_GRANT, T.GUIDANCE}

# The budget in USD, by type.
BUDGET_USD = {
    T.WORKSHOP: (25_000, 140_000), T.WEBINAR: (1_500, 8_000), T.ONLINE_COURSE: (20_000, 60_000),
    T.EXPERT_MISSION: (8_000, 30_000), T.STUDY_VISIT: (20_000, 55_000), T.NATIONAL_PROJECT: (80_000, 300_000),
    T.REGIONAL_PROJECT: (250_000, 1_000_000), T.GUIDANCE: (20_000, 80_000), T.MEETING: (30_000, 120_000),
    T.SMALL_GRANT: (10_000, 50_000),
}
RATES = {"USD": Decimal(1), "EUR": Decimal("0.92"), "CHF": Decimal("0.88"), "JPY": Decimal(150), "SEK": Decimal("10.5"),
         "NOK": Decimal("10.8")}
TRUST_FUND = "Technical Cooperation Trust Fund (BD)"
DONORS = [  # source, the funder's acronym in the demo organisations, currency
    ("Voluntary contribution of Switzerland", "FOEN", "CHF"),
    ("Voluntary contribution of Japan", "MOEJ", "JPY"),
    ("Voluntary contribution of Sweden", "SEPA", "SEK"),
    ("Voluntary contribution of Germany", "BMUKN", "EUR"),
    ("Voluntary contribution of France", "MTE", "EUR"),
    ("Voluntary contribution of Norway", "NEA", "NOK"),
]

# Lead by exact shares of every 23 activities (coprime with the 20 type slots), shuffled once.
LEAD_SHARES = [(LEAD.SECRETARIAT, 8), (LEAD.CENTRE, 8), (LEAD.REGIONAL_FOCAL_POINT, 2), (LEAD.PARTNER, 5)]
# Partners known for a theme (acronyms of the demo organisations); the first that exists leads.
PARTNERS_BY_THEME = {
    "enforcement": ["WCO", "UNEP", "BAN"], "waste_management.ewaste": ["SRI", "UNITAR", "Oeko-Institut"],
    "waste_management.plastic": ["UNEP", "IPEN", "BAN"], "waste_management.mercury": ["UNEP", "IPEN"],
    "waste_management.pops": ["UNIDO", "IPEN"], "technologies": ["UNIDO", "Oeko-Institut", "SRI"],
    "information": ["UNITAR", "UNEP"], "legal": ["UNEP", "UNITAR"], "monitoring": ["UNITAR", "Oeko-Institut"],
}
GENERAL_PARTNERS = ["UNEP", "UNITAR", "UNIDO"]

REGION_NAMES = {
    "AFRICA": "Africa", "ASIA_PACIFIC": "Asia and the Pacific", "EASTERN_EUROPE": "Central and Eastern Europe",
    "GRULAC": "Latin America and the Caribbean", "WEOG": "Western Europe and other States",
}
REGION_WEIGHTS = {"AFRICA": 4, "ASIA_PACIFIC": 3.5, "EASTERN_EUROPE": 2, "GRULAC": 3, "WEOG": 1}
REGION_LANGUAGES = {"AFRICA": ["en", "fr"], "ASIA_PACIFIC": ["en"], "EASTERN_EUROPE": ["en", "ru"], "GRULAC": ["es", "en"],
                    "WEOG": ["en", "fr"]}
SUBREGION_NAMES = {("EASTERN_EUROPE", "Southern Europe"): "the Western Balkans", ("EASTERN_EUROPE", "Western Asia"): "the South Caucasus",
                   ("ASIA_PACIFIC", "Melanesia"): "the Pacific", ("ASIA_PACIFIC", "Micronesia"): "the Pacific",
                   ("ASIA_PACIFIC", "Polynesia"): "the Pacific", ("ASIA_PACIFIC", "South-eastern Asia"): "South-East Asia",
                   ("GRULAC", "Caribbean"): "the Caribbean", ("WEOG", "Western Asia"): "Western Asia"}
# English names of countries said with "the" ("in the Philippines").
WITH_THE = ("United ", "Central African Republic", "Democratic ", "Dominican Republic", "Republic of ", "Philippines", "Gambia",
            "Comoros", "Maldives", "Marshall Islands", "Solomon Islands", "Bahamas", "Niger ", "Congo", "Lao ", "Syrian ",
            "Russian Federation", "Cook Islands")
SHOWCASE = {"KEN", "SEN", "PER"}  # the Parties the docs' walkthroughs use

# The audience a centre serves (by slug): name and languages; its countries are those it serves,
# else those the rule names (an M49 sub-region, a language, the host's region).
CENTRES = {
    "senegal": ("French-speaking African countries", ["fr"], None),
    "south-africa": ("English-speaking African countries", ["en"], None),
    "nigeria": ("the African region", ["en", "fr"], None),
    "egypt": ("the Arab States", ["ar", "en"], None),
    "china": ("East Asia", ["zh", "en"], None),
    "southeast-asia": ("South-East Asia", ["en"], ("subregion", {"South-eastern Asia"})),
    "iran": ("West and South Asia", ["en"], None),
    "sprep": ("Pacific island countries", ["en", "fr"], ("subregion", {"Melanesia", "Micronesia", "Polynesia"})),
    "russia": ("CIS countries", ["ru"], ("iso3", RUSSIAN_SPEAKING)),
    "bratislava": ("Central and Eastern Europe", ["en", "ru"], None),
    "uruguay": ("Latin America and the Caribbean", ["es", "en"], None),
    "argentina": ("South America", ["es"], ("subregion", {"South America"})),
    "caribbean": ("the Caribbean", ["en"], None),
}

CANCELLED = [
    "The host country withdrew its offer to host the activity.",
    "The funding expected from a donor did not materialise.",
    "Merged with a regional activity on the same subject.",
    "Security conditions in the host city did not allow the activity to go ahead.",
]
POSTPONED = [
    "The host country asked for new dates, not yet agreed.",
    "Postponed until the national legislation it supports is adopted.",
    "Postponed to align with the regional centre's next business plan.",
    "Postponed until the funding is secured.",
]
RETURN_COMMENT = "Please give the participants by country and sex, and attach the evaluation forms."
FINDINGS = [
    "Participants agreed on national follow-up steps and a timeline.",
    "Participants asked for a follow-up session on practical cases.",
    "The national authorities have since started to apply the procedures presented.",
    "A regional network of practitioners was set up to keep exchanging experience.",
    "The draft text was reviewed by the competent authority and sent for adoption.",
]
APPLIED = [
    "The customs administration now uses the risk profiles from the training.",
    "The competent authority has issued a circular applying the guidance.",
    "The inventory has been updated and was used in our national report.",
    "Two inspectors trained have since trained colleagues at the border posts.",
    "The draft regulation has been submitted to the cabinet.",
    "Little has been applied yet: staff changes at the ministry.",
]


# -- Reading the reference data and the other demos once ----------------------------------------------


@dataclass
class Context:
    today: date
    now: datetime
    themes: dict  # code → Theme
    children: dict  # top-level code → sub-theme codes
    conventions: dict  # code → Convention
    groups: dict  # code → RegionalGroup
    eligible: dict  # group code → eligible Parties (by ISO3)
    parties: dict  # group code → every Party
    everyone: list  # every eligible Party
    centres: list  # active centres, by acronym
    centre_of: dict  # centre pk → (audience, languages, group code, countries)
    centre_orgs: dict  # centre pk → Organisation
    orgs: dict  # acronym → Organisation (the demo providers)
    governments: dict  # country pk → Organisation
    needs: dict  # (country pk, theme code) → Need
    requests: list  # accepted or in delivery, by country and title
    requests_by_country: dict
    matches: list  # confirmed or conveyed
    cycles: dict  # year → Cycle
    lead_slots: list
    paragraphs: dict = field(default_factory=dict)  # key → Paragraph
    seen: set = field(default_factory=set)


def _context(seed, today):
    themes = {theme.code: theme for theme in Theme.objects.select_related("parent")}
    groups = {group.code: group for group in RegionalGroup.objects.all()}
    if not themes or not groups:
        return None
    eligible, parties = {}, {}
    for country in Country.objects.parties().select_related("regional_group").order_by("iso3"):
        if country.regional_group_id is None:
            continue
        parties.setdefault(country.regional_group.code, []).append(country)
        if country.classification in (Country.Classification.DEVELOPING, Country.Classification.TRANSITION):
            eligible.setdefault(country.regional_group.code, []).append(country)
    everyone = sorted((c for members in eligible.values() for c in members), key=lambda c: c.iso3)
    centres = list(
        RegionalCentre.objects.filter(status=RegionalCentre.Status.ACTIVE)
        .select_related("host_country__regional_group").prefetch_related("countries_served").order_by("acronym")
    )
    centre_of = {}
    for centre in centres:
        group = centre.host_country.regional_group.code if centre.host_country and centre.host_country.regional_group else "AFRICA"
        audience, languages, rule = CENTRES.get(centre.slug, (centre.acronym, ["en"], None))
        pool = eligible.get(group, [])
        served = sorted((c for c in centre.countries_served.all() if c in everyone), key=lambda c: c.iso3)
        if served:
            pool = served
        elif rule and rule[0] == "subregion":
            pool = [c for c in everyone if c.m49_subregion in rule[1]]
        elif rule and rule[0] == "iso3":
            pool = [c for c in everyone if c.iso3 in rule[1]]
        centre_of[centre.pk] = (audience, languages, group, pool or eligible.get(group, everyone))
    organisations = list(Organisation.objects.filter(is_active=True).order_by("name"))
    requests = list(
        Request.objects.filter(status__in=[Request.Status.ACCEPTED, Request.Status.IN_DELIVERY])
        .select_related("country__regional_group").prefetch_related("themes").order_by("country__iso3", "title")
    )
    by_country = {}
    for request in requests:
        by_country.setdefault(request.country_id, []).append(request)
    matches = list(
        Match.objects.filter(status__in=[Match.Status.CONFIRMED, Match.Status.CONVEYED])
        .select_related("country__regional_group", "need__theme", "offer__provider").prefetch_related("offer__themes")
        .order_by("country__iso3", "offer__title", "pk")
    )
    cycles = {}
    for cycle in Cycle.objects.exclude(status=Cycle.Status.DRAFT).order_by("opens_on"):
        cycles.setdefault(cycle.opens_on.year, cycle)
    slots = [lead for lead, share in LEAD_SHARES for _n in range(share)]
    random.Random(f"{seed}:planning:leads").shuffle(slots)
    return Context(
        today=today, now=timezone.now(), themes=themes,
        children={code: sorted((c for c, t in themes.items() if t.parent_id == theme.pk), key=lambda c: themes[c].order)
                  for code, theme in themes.items() if theme.parent_id is None},
        conventions=dict(Convention.objects.in_bulk(field_name="code")), groups=groups, eligible=eligible, parties=parties,
        everyone=everyone, centres=centres, centre_of=centre_of,
        centre_orgs={org.centre_id: org for org in organisations if org.centre_id},
        orgs={org.acronym: org for org in organisations if org.acronym and not org.centre_id},
        governments={org.country_id: org for org in organisations if org.type == Organisation.Type.PARTY_GOVERNMENT and org.country_id},
        needs={(need.country_id, need.theme.code): need for need in Need.objects.select_related("theme")},
        requests=requests, requests_by_country=by_country, matches=matches, cycles=cycles, lead_slots=slots,
    )


def _top(code):
    return code.split(".")[0]


# -- Mandates and plans ----------------------------------------------------------------------------------


def _mandates(ctx):
    basel = ctx.conventions.get("basel")
    if basel is None:
        return False
    meetings = {meeting.number: meeting for meeting in Meeting.objects.filter(convention=basel)}
    for number, starts_on, ends_on, place in MEETINGS:
        if number not in meetings:
            meetings[number] = services.meeting_create(
                actor=None, convention=basel, number=number, starts_on=starts_on, ends_on=ends_on, place=place
            )
    decisions = {decision.symbol: decision for decision in Decision.objects.filter(symbol__in=[d[0] for d in DECISIONS])}
    for symbol, number, title, paragraphs in DECISIONS:
        decision = decisions.get(symbol) or services.decision_create(actor=None, meeting=meetings[number], symbol=symbol, title=title)
        existing = {paragraph.number: paragraph for paragraph in decision.paragraphs.all()}
        for number_, verb, addressee, text, asks, due_by, key in paragraphs:
            paragraph = existing.get(number_) or services.paragraph_save(
                actor=None, decision=decision, number=number_, verb=verb, addressee=addressee, text=text,
                illustrative=True,  # a summary written for the demo, not the decision's official text
                asks_action=asks, due_by=due_by,
            )
            if key:
                ctx.paragraphs[key] = paragraph
    return True


def _paragraphs(ctx, keys):
    return [ctx.paragraphs[key] for key in keys if key in ctx.paragraphs]


def _plan(ctx, spec):
    plan = Plan.objects.filter(title=spec.title).first()
    if plan is not None:
        return plan
    conventions = [ctx.conventions[code] for code in ("basel", "rotterdam", "stockholm") if code in ctx.conventions]
    plan = services.plan_create(
        actor=None, title=spec.title, start_year=spec.start_year, end_year=spec.end_year, conventions=conventions,
        goal=spec.goal, objectives={ctx.conventions[code]: text for code, text in spec.objectives.items() if code in ctx.conventions},
    )
    services.plan_update(actor=None, plan=plan, paragraphs=_paragraphs(ctx, spec.paragraphs))
    cycle = ctx.cycles.get(spec.cycle_year)
    for area_spec in spec.areas:
        area = services.priority_area_create(
            actor=None, plan=plan, title=area_spec.title, rationale=area_spec.rationale,
            themes=[ctx.themes[code] for code in area_spec.themes if code in ctx.themes],
            regional_groups=[ctx.groups[code] for code in area_spec.regions if code in ctx.groups],
            cycle=cycle, levels=("high", "medium"), paragraphs=_paragraphs(ctx, area_spec.paragraphs),
        )
        for text, indicator, unit, baseline, target in area_spec.results:
            services.expected_result_add(
                actor=None, area=area, text=text, indicator=indicator, unit=UNITS[unit],
                baseline=Decimal(baseline), target=Decimal(target),
            )
    if spec.adopted:
        # History the services cannot write: the evidence was taken when the plan was drafted, in
        # 2021, and the COP adopted it in 2022. No decision symbol is invented for the adoption, so
        # ``adopted_by`` stays empty and the status and dates are set directly.
        drafted = date(spec.start_year - 1, 9, 15)
        for area in plan.priority_areas.all():
            if area.evidence:
                area.evidence["taken_on"], area.evidence_taken_on = drafted.isoformat(), drafted
                area.save(update_fields=["evidence", "evidence_taken_on"])
        services.plan_submit(actor=None, plan=plan)
        plan.status = Plan.Status.ADOPTED
        plan.submitted_at = timezone.make_aware(datetime(spec.start_year - 1, 11, 30, 10))
        plan.adopted_at = timezone.make_aware(datetime(spec.start_year, 6, 17, 18))
        plan.save(update_fields=["status", "submitted_at", "adopted_at"])
    return plan


# -- One activity: what, for whom, led by whom, when -------------------------------------------------------


@dataclass
class Draft:
    index: int
    code: str
    type: str
    level: str
    theme: str
    area: PriorityArea | None
    group: str  # regional group code ("" for a global activity)
    lead: str
    centre: RegionalCentre | None = None
    centres_meeting: bool = False
    organisation: Organisation | None = None
    centre_own: bool = False
    countries: list = field(default_factory=list)  # target Parties
    reached: list = field(default_factory=list)  # the Parties whose people take part
    audience: str = ""
    languages: list = field(default_factory=list)
    requests: list = field(default_factory=list)
    matches: list = field(default_factory=list)
    partners: list = field(default_factory=list)
    status: str = S.PLANNED
    reason: str = ""
    planned: tuple = ()
    actual: tuple = (None, None)
    fields: dict = field(default_factory=dict)


def _weighted(rng, pairs):
    return rng.choices([value for value, _w in pairs], [weight for _v, weight in pairs])[0]


def _country_languages(country):
    code = country.iso3
    first = ("fr" if code in FRENCH_SPEAKING else "es" if code in SPANISH_SPEAKING else "pt" if code in PORTUGUESE_SPEAKING
             else "ar" if code in ARABIC_SPEAKING else "ru" if code in RUSSIAN_SPEAKING else "zh" if code == "CHN" else "en")
    return [first] if first == "en" else [first, "en"]


def _name(country):
    return f"the {country.name_en}" if f"{country.name_en} ".startswith(WITH_THE) else country.name_en


def _national(rng, pool):
    weights = [4 if country.iso3 in SHOWCASE else 1 for country in pool]
    return rng.choices(pool, weights)[0]


def _subregion(rng, ctx, group, pool=None):
    """``(countries, name)``: three to seven Parties of one M49 sub-region of ``group``."""
    pool = pool or ctx.eligible.get(group, [])
    by_sub = {}
    for country in pool:
        name = SUBREGION_NAMES.get((group, country.m49_subregion), country.m49_subregion)
        by_sub.setdefault(name, []).append(country)
    choices = sorted(name for name, members in by_sub.items() if len(members) >= 3) or sorted(by_sub)
    if not choices:
        return [], REGION_NAMES.get(group, "")
    name = rng.choice(choices)
    members = by_sub[name]
    return sorted(rng.sample(members, k=min(len(members), rng.randint(3, 7))), key=lambda c: c.iso3), name


def _areas_for(areas, group):
    return [area for area in areas if not area.group_codes or group in area.group_codes]


def _pick_theme(rng, ctx, area):
    codes = [code for theme in area.themes_cached for code in (ctx.children.get(theme.code) or [theme.code])] if area else [
        code for code in TOPICS if code in ctx.themes]
    return rng.choice(codes)


def _draft(ctx, programme, areas, index, seed, share=0.5):
    """Activity number ``index`` of ``programme``, drawn from its own random generator."""
    rng = random.Random(f"{seed}:planning:{programme.start_year}:{index}")
    code = f"{programme.start_year}-{index + 1:03d}"
    type_ = TYPE_SLOTS[index % len(TYPE_SLOTS)]
    lead = ctx.lead_slots[index % len(ctx.lead_slots)]
    centre = None
    if lead == LEAD.CENTRE and ctx.centres:
        # Round-robin over the centres, so that each active centre leads some activities.
        earlier = (index // len(ctx.lead_slots)) * ctx.lead_slots.count(LEAD.CENTRE)
        earlier += ctx.lead_slots[: index % len(ctx.lead_slots)].count(LEAD.CENTRE)
        centre = ctx.centres[(earlier + programme.start_year) % len(ctx.centres)]
    elif lead == LEAD.CENTRE:
        lead = LEAD.SECRETARIAT
    level = _weighted(rng, LEVELS[type_])
    subject = None  # a request or match the activity delivers
    current = programme.start_year == PROGRAMMES[-1][0]  # requests and matches still being delivered
    if current and ctx.requests and index % 7 == 3:
        subject = ctx.requests[(index // 7) % len(ctx.requests)]
    elif current and ctx.matches and index % 12 == 5:
        subject = ctx.matches[(index // 12) % len(ctx.matches)]
    if subject is not None:
        level = L.NATIONAL
        if type_ not in (T.WORKSHOP, T.STUDY_VISIT, *NATIONAL_TYPES):
            type_ = T.EXPERT_MISSION
    centres_meeting = index % 40 == CENTRES_MEETING_SLOT and subject is None
    if centres_meeting:
        type_, level, lead, centre = T.MEETING, L.GLOBAL, LEAD.SECRETARIAT, None

    # Where: the subject's Party, the centre's audience, or a region.
    if subject is not None:
        country = subject.country
        group = country.regional_group.code if country.regional_group else ""
        if centre is not None and country not in ctx.centre_of[centre.pk][3]:
            lead, centre = LEAD.SECRETARIAT, None
    elif centre is not None:
        group = ctx.centre_of[centre.pk][2]
        if level == L.GLOBAL:
            level = L.REGIONAL
    else:
        group = _weighted(rng, [(code, w) for code, w in REGION_WEIGHTS.items() if ctx.eligible.get(code) or ctx.parties.get(code)])
    if lead == LEAD.REGIONAL_FOCAL_POINT and level == L.GLOBAL:
        level = L.REGIONAL  # a regional focal point leads for its region
    if level == L.GLOBAL:
        group = ""
    if group == "WEOG" and level == L.SUBREGIONAL:
        level = L.REGIONAL

    # What: the theme, within a priority area of the plan where one fits.
    fitting = _areas_for(areas, group)
    if subject is not None:
        theme = _subject_theme(rng, ctx, subject)
        fitting = [area for area in fitting if _top(theme) in area.families or theme in area.theme_codes]
    area = rng.choice(fitting) if fitting and (rng.random() < 0.9 or subject is not None) else None
    if centres_meeting:
        area, theme = None, "coordination.regional"
    elif subject is None:
        theme = _pick_theme(rng, ctx, area)
    if theme not in ctx.themes:
        theme = next(iter(TOPICS))

    draft = Draft(index=index, code=code, type=type_, level=level, theme=theme, area=area, group=group, lead=lead, centre=centre,
                  centres_meeting=centres_meeting)
    if lead == LEAD.CENTRE:
        draft.centre_own = rng.random() < 0.45
    elif lead == LEAD.PARTNER:
        options = [ctx.orgs[a] for a in PARTNERS_BY_THEME.get(theme, PARTNERS_BY_THEME.get(_top(theme), [])) + GENERAL_PARTNERS if a in ctx.orgs]
        if isinstance(subject, Match) and subject.offer.provider.type != Organisation.Type.PARTY_GOVERNMENT:
            options.insert(0, subject.offer.provider)
        if options:
            draft.organisation = options[0] if rng.random() < 0.6 else rng.choice(options)
        else:
            draft.lead = LEAD.SECRETARIAT
    _audience(rng, ctx, draft, subject)
    if isinstance(subject, Request):
        draft.requests = [subject]
    elif isinstance(subject, Match):
        draft.matches = [subject]
    _dates_and_status(rng, ctx, draft, programme, share)
    draft.fields = _fields(rng, ctx, draft, programme)
    return draft


def _subject_theme(rng, ctx, subject):
    if isinstance(subject, Request):
        codes = sorted(theme.code for theme in subject.themes.all())
    else:
        codes = [subject.need.theme.code] if subject.need_id else sorted(theme.code for theme in subject.offer.themes.all())
    code = rng.choice(codes) if codes else rng.choice(list(TOPICS))
    if code not in TOPICS:
        code = rng.choice(ctx.children.get(code) or [next(iter(TOPICS))])
    return code


def _audience(rng, ctx, draft, subject):
    """Target Parties, the Parties whose people take part, the audience a title names, languages."""
    group, level = draft.group, draft.level
    pool = ctx.centre_of[draft.centre.pk][3] if draft.centre else ctx.eligible.get(group) or ctx.parties.get(group, [])
    if subject is not None:
        country = subject.country
        draft.countries, draft.audience = [country], _name(country)
    elif level == L.NATIONAL:
        country = _national(rng, pool or ctx.everyone)
        draft.countries, draft.audience = [country], _name(country)
    elif level == L.SUBREGIONAL:
        draft.countries, draft.audience = _subregion(rng, ctx, group, pool if draft.centre else None)
        if draft.centre and draft.centre.slug in ("sprep", "caribbean", "southeast-asia"):
            draft.audience = ctx.centre_of[draft.centre.pk][0]
    elif level == L.REGIONAL:
        draft.audience = ctx.centre_of[draft.centre.pk][0] if draft.centre else REGION_NAMES.get(group, group)
        members = ctx.parties.get(group, []) if group == "WEOG" and not draft.centre else pool or ctx.parties.get(group, [])
        draft.reached = sorted(rng.sample(members, k=min(len(members), rng.randint(5, 12))), key=lambda c: c.iso3)
    else:
        draft.reached = sorted(rng.sample(ctx.everyone, k=min(len(ctx.everyone), rng.randint(8, 16))), key=lambda c: c.iso3)
    if draft.countries:
        draft.reached = list(draft.countries)
    if draft.type == T.GUIDANCE:
        draft.reached = list(draft.countries)  # a publication reaches the Parties it is for
    if level == L.NATIONAL:
        languages = _country_languages(draft.countries[0])
    elif draft.centre:
        languages = list(ctx.centre_of[draft.centre.pk][1])
    elif level == L.GLOBAL:
        languages = ["en", "fr", "es", "ar", "ru", "zh"] if draft.type == T.GUIDANCE else ["en", "fr", "es"][: rng.randint(1, 3)]
    else:
        languages = list(REGION_LANGUAGES.get(group, ["en"]))
        if group == "ASIA_PACIFIC" and any(c.iso3 in ARABIC_SPEAKING for c in draft.reached + draft.countries):
            languages.append("ar")
        if group == "ASIA_PACIFIC" and any(c.iso3 == "CHN" for c in draft.reached + draft.countries):
            languages.append("zh")
    draft.languages = list(dict.fromkeys(languages))


def _title(rng, ctx, draft, programme):
    topic = rng.choice(TOPICS.get(draft.theme) or [ctx.themes[draft.theme].label_en.lower()])
    where = draft.audience
    if draft.centres_meeting:
        base = f"Meeting of the directors of the Basel and Stockholm regional centres, {draft.planned[0].year}"
    else:
        base = {
            T.WORKSHOP: {L.NATIONAL: "National workshop on {topic} in {where}", L.SUBREGIONAL: "Sub-regional workshop on {topic} for {where}",
                         L.REGIONAL: "Regional workshop on {topic} for {where}", L.GLOBAL: "Global workshop on {topic}"},
            T.WEBINAR: {L.REGIONAL: "Webinar on {topic} for {where}", L.GLOBAL: "Webinar on {topic}"},
            T.ONLINE_COURSE: {L.REGIONAL: "Online course on {topic} for {where}", L.GLOBAL: "Online course on {topic}"},
            T.EXPERT_MISSION: {L.NATIONAL: "Expert mission to {where} on {topic}"},
            T.STUDY_VISIT: {L.NATIONAL: "Study visit on {topic} for officials from {where}",
                            L.SUBREGIONAL: "Study visit on {topic} for officials from {where}"},
            T.NATIONAL_PROJECT: {L.NATIONAL: "Project on {topic} in {where}"},
            T.REGIONAL_PROJECT: {L.REGIONAL: "Regional project on {topic} in {where}", L.SUBREGIONAL: "Project on {topic} in {where}"},
            T.GUIDANCE: {L.GLOBAL: rng.choice(["Guidance on {topic}", "Training manual on {topic}", "Factsheets on {topic}"]),
                         L.REGIONAL: "Guidance on {topic} for {where}"},
            T.MEETING: {L.REGIONAL: "Regional meeting on {topic} for {where}", L.SUBREGIONAL: "Sub-regional meeting on {topic} for {where}",
                        L.GLOBAL: "Expert group meeting on {topic}"},
            T.SMALL_GRANT: {L.NATIONAL: "Small grant on {topic} for {where}"},
        }[draft.type].get(draft.level, "Activity on {topic}").format(topic=topic, where=where)
    base = base[0].upper() + base[1:]
    title, number = base[:240], 1
    while (programme.start_year, title) in ctx.seen:
        number += 1
        nth = ORDINALS[number] if number < len(ORDINALS) else f"no. {number}"
        title = f"{base[:220]} ({nth} {'phase' if draft.type in PROJECTS else 'session'})"
    ctx.seen.add((programme.start_year, title))
    return title, topic


ORDINALS = ["", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"]


def _description(rng, ctx, draft, topic):
    led = {
        LEAD.SECRETARIAT: "the Secretariat",
        LEAD.CENTRE: draft.centre.acronym if draft.centre else "the regional centre",
        LEAD.REGIONAL_FOCAL_POINT: "the regional focal point",
        LEAD.PARTNER: (draft.organisation.acronym or draft.organisation.name) if draft.organisation else "a partner",
    }[draft.lead]
    kind = Activity.Type(draft.type).label.lower()
    opening = f"A {kind} led by {led} on {topic}"
    if draft.level != L.GLOBAL and draft.audience:
        opening += f", for {draft.audience}"
    parts = [opening + ".", PURPOSES.get(_top(draft.theme), "")]
    if draft.centre_own:
        parts.append("It is part of the centre's business plan.")
    if draft.requests:
        parts.append("It answers the Party's request for assistance.")
    return " ".join(part for part in parts if part)


def _dates_and_status(rng, ctx, draft, programme, share):
    first = programme.start_year
    year = first if rng.random() < share else first + 1
    if draft.centres_meeting:
        year = first + (draft.index // 40) % 2  # one a year
    start = date(year, 1, 20) + timedelta(days=rng.randint(0, 300))
    low, high = DURATION[draft.type]
    last = date(first + 1, 12, 31)
    end = min(start + timedelta(days=rng.randint(low, high)), last)
    draft.planned = (start, end)
    today = ctx.today
    slot = draft.index % 19
    if slot == 4:
        draft.status, draft.reason = S.CANCELLED, rng.choice(CANCELLED)
        return
    if slot == 11:
        draft.status, draft.reason = S.POSTPONED, rng.choice(POSTPONED)
        return
    actual_start = start + timedelta(days=rng.randint(-3, 21) if draft.type in PROJECTS else rng.randint(0, 14))
    actual_end = actual_start + (end - start) + timedelta(days=rng.randint(0, 45) if draft.type in PROJECTS else 0)
    if actual_end < today and not (slot == 16 and draft.type in PROJECTS):
        draft.status, draft.actual = S.COMPLETED, (actual_start, actual_end)
    elif actual_start <= today:
        draft.status, draft.actual = S.ONGOING, (actual_start, None)  # a project running late, or under way
    elif (start - today).days <= 120:
        draft.status = S.IN_PREPARATION
    else:
        draft.status = S.PLANNED


def _fields(rng, ctx, draft, programme):
    title, topic = _title(rng, ctx, draft, programme)
    themes = [ctx.themes[draft.theme]]
    if rng.random() < 0.2:
        other = rng.choice([code for code in TOPICS if _top(code) != _top(draft.theme) and code in ctx.themes])
        themes.append(ctx.themes[other])
    conventions = [ctx.conventions["basel"]]
    if draft.theme.startswith(("waste_management.pops", "disposal", "monitoring.laboratories")) or (
            draft.theme.startswith("waste_management.mercury") and rng.random() < 0.3):
        conventions.append(ctx.conventions.get("stockholm"))
    if draft.theme.startswith(("notification", "enforcement.customs")) and rng.random() < 0.4:
        conventions.append(ctx.conventions.get("rotterdam"))
    return {
        "code": draft.code,
        "title": title,
        "description": _description(rng, ctx, draft, topic),
        "type": draft.type,
        "level": draft.level,
        "priority_area": draft.area,
        "themes": themes,
        "conventions": [c for c in conventions if c is not None],
        "countries": draft.countries,
        "regional_groups": [ctx.groups[draft.group]] if draft.level == L.REGIONAL and draft.group in ctx.groups else [],
        "lead": draft.lead,
        "lead_centre": draft.centre if draft.lead == LEAD.CENTRE else None,
        "lead_group": ctx.groups.get(draft.group) if draft.lead == LEAD.REGIONAL_FOCAL_POINT else None,
        "lead_organisation": draft.organisation if draft.lead == LEAD.PARTNER else None,
        "centre_own": draft.centre_own,
        "languages": draft.languages,
        "planned_start": draft.planned[0],
        "planned_end": draft.planned[1],
        "paragraphs": _activity_paragraphs(ctx, draft),
        "needs": _needs(ctx, draft),
        "requests": draft.requests + _requests(ctx, draft, programme),
        "matches": draft.matches,
    }


def _activity_paragraphs(ctx, draft):
    keys = list(draft.area.paragraph_keys) if draft.area is not None else []
    if draft.centres_meeting:
        keys += ["11.evaluate", "11.involve"]
    if draft.type == T.GUIDANCE:
        keys.append("14.materials")
    if draft.lead == LEAD.CENTRE:
        keys += ["14.align", "11.business_plans"] if draft.centre_own else ["12.centres"]
    return _paragraphs(ctx, list(dict.fromkeys(keys))[:3])


def _needs(ctx, draft):
    codes = {code for theme in [draft.theme] for code in (theme, _top(theme))}
    found = []
    for country in draft.reached or draft.countries:
        for code in sorted(codes):
            need = ctx.needs.get((country.pk, code))
            if need is not None:
                found.append(need)
    return found[:15]


def _requests(ctx, draft, programme):
    """The open requests of the Parties reached on the activity's subject (the current programme only)."""
    if programme.start_year != PROGRAMMES[-1][0] or draft.requests:
        return []
    family = _top(draft.theme)
    found = []
    for country in draft.countries:
        for request in ctx.requests_by_country.get(country.pk, []):
            if any(_top(theme.code) == family for theme in request.themes.all()):
                found.append(request)
    return found[:3]


def _partners_and_budget(rng, ctx, draft):
    partners, budget = [], []
    low, high = BUDGET_USD[draft.type]
    if draft.level == L.NATIONAL and draft.type == T.WORKSHOP:
        high = low + (high - low) // 3
    total = Decimal(rng.randrange(low, high + 1, 500))
    if draft.lead == LEAD.PARTNER and draft.organisation is not None:
        first = (f"{draft.organisation.acronym or draft.organisation.name} resources", "USD", draft.organisation)
    elif draft.centre_own:
        first = ("Centre's own resources", "USD", None)
    else:
        first = (TRUST_FUND, "USD", None)
    lines = [first]
    donors = [(source, ctx.orgs.get(acronym), currency) for source, acronym, currency in DONORS if ctx.orgs.get(acronym)]
    for source, funder, currency in rng.sample(donors, k=min(len(donors), rng.choice((0, 1, 1, 2)))):
        lines.append((source, currency, funder))
        partners.append((funder, "funding"))
    shares = [rng.uniform(0.5, 1.5) for _line in lines]
    status = draft.status
    for (source, currency, funder), share in zip(lines, shares, strict=True):
        usd = total * Decimal(share / sum(shares))
        step = Decimal(10_000) if currency == "JPY" else Decimal(100)
        planned = (usd * RATES[currency] / step).quantize(Decimal(1)) * step
        if status == S.COMPLETED:
            secured = planned
            spent = (planned * Decimal(rng.uniform(0.75, 1.0)) / step).quantize(Decimal(1)) * step
        elif status == S.ONGOING:
            secured = planned
            spent = (planned * Decimal(rng.uniform(0.1, 0.7)) / step).quantize(Decimal(1)) * step
        elif status == S.CANCELLED:
            secured, spent = (planned * Decimal("0.2") / step).quantize(Decimal(1)) * step, Decimal(0)
        else:
            secured = (planned * Decimal(rng.choice((0, 0.5, 1))) / step).quantize(Decimal(1)) * step
            spent = Decimal(0)
        budget.append({"source": source, "currency": currency, "planned": planned, "secured": secured, "spent": spent,
                       "funder": funder})
    # Who else works on it: a centre co-organising, a host government, an expert organisation.
    if draft.lead != LEAD.CENTRE and draft.group and draft.level in (L.REGIONAL, L.SUBREGIONAL) and rng.random() < 0.6:
        centres = [c for c in ctx.centres if ctx.centre_of[c.pk][2] == draft.group and c.pk in ctx.centre_orgs]
        if centres:
            partners.append((ctx.centre_orgs[rng.choice(centres).pk], "co_organising"))
    if draft.type in (T.WORKSHOP, T.MEETING, T.STUDY_VISIT, T.NATIONAL_PROJECT) and draft.countries:
        host = ctx.governments.get(draft.countries[0].pk)
        if host is not None:
            partners.append((host, "host"))
    if rng.random() < 0.3:
        experts = [ctx.orgs[a] for a in ("Oeko-Institut", "UNITAR", "IPEN", "BAN", "SRI", "UNIDO") if a in ctx.orgs]
        if experts:
            partners.append((rng.choice(experts), rng.choice(("expertise", "implementing"))))
    for match in draft.matches:
        provider = match.offer.provider
        partners.append((provider, "funding" if provider.type == Organisation.Type.PARTY_GOVERNMENT else "implementing"))
    seen, unique = set(), []
    for organisation, role in partners:
        if organisation is not None and (organisation.pk, role) not in seen and organisation != draft.organisation:
            seen.add((organisation.pk, role))
            unique.append((organisation, role))
    return unique, budget


def _create(rng, ctx, draft, programme):
    partners, budget = _partners_and_budget(rng, ctx, draft)
    activity = services.activity_create(actor=None, programme=programme, partners=partners, budget=budget, **draft.fields)
    status, (start, end) = draft.status, draft.actual
    if status == S.IN_PREPARATION:
        services.activity_set_status(actor=None, activity=activity, status=S.IN_PREPARATION)
    elif status in (S.ONGOING, S.COMPLETED):
        services.activity_set_status(actor=None, activity=activity, status=S.ONGOING, on=start)
        if status == S.COMPLETED:
            services.activity_set_status(actor=None, activity=activity, status=S.COMPLETED, on=end)
    elif status == S.CANCELLED:
        if draft.planned[0] > ctx.today and draft.index % 2:
            services.activity_set_status(actor=None, activity=activity, status=S.IN_PREPARATION)
        services.activity_set_status(actor=None, activity=activity, status=S.CANCELLED, reason=draft.reason)
    elif status == S.POSTPONED:
        services.activity_set_status(actor=None, activity=activity, status=S.POSTPONED, reason=draft.reason)
    return activity


# -- Outputs: reports and follow-up evaluations ----------------------------------------------------------------

PER_COUNTRY = {
    T.WORKSHOP: (2, 4), T.WEBINAR: (4, 25), T.ONLINE_COURSE: (3, 15), T.STUDY_VISIT: (2, 3), T.REGIONAL_PROJECT: (3, 8),
    T.MEETING: (1, 3), T.EXPERT_MISSION: (8, 20), T.NATIONAL_PROJECT: (15, 60), T.SMALL_GRANT: (10, 35),
}
NATIONAL_TOTAL = {T.WORKSHOP: (18, 45), T.STUDY_VISIT: (4, 10), T.WEBINAR: (10, 40), T.MEETING: (10, 25)}
MATERIALS = {
    T.WORKSHOP: [("training", "Presentations and exercises"), ("report", "Workshop report")],
    T.WEBINAR: [("media", "Recording of the webinar")],
    T.ONLINE_COURSE: [("training", "Course modules"), ("tool", "Self-assessment quiz")],
    T.EXPERT_MISSION: [("report", "Mission report with recommendations")],
    T.STUDY_VISIT: [("report", "Report of the study visit")],
    T.NATIONAL_PROJECT: [("report", "Final project report"), ("tool", "National inventory database")],
    T.REGIONAL_PROJECT: [("report", "Final project report"), ("training", "Training package")],
    T.GUIDANCE: [("guidance", "")],
    T.MEETING: [("report", "Meeting report")],
    T.SMALL_GRANT: [("report", "Final report of the grant")],
}


def _participations(rng, draft):
    if draft.type == T.GUIDANCE:
        return []
    rows = []
    for country in draft.reached:
        low, high = NATIONAL_TOTAL.get(draft.type, PER_COUNTRY[draft.type]) if draft.level == L.NATIONAL else PER_COUNTRY[draft.type]
        total = rng.randint(low, high)
        women = round(total * rng.uniform(0.25, 0.6))
        unspecified = rng.randint(0, 2) if draft.type in (T.WEBINAR, T.ONLINE_COURSE) else 0
        rows.append((country, women, max(0, total - women - unspecified), unspecified))
    return rows


def _indicator_values(draft, results, participations):
    people = sum(w + m + u for _c, w, m, u in participations)
    values = []
    for result in results:
        unit = next((key for key, label in UNITS.items() if label == result.unit), "")
        value = None
        if unit == "people" and people:
            value, note = people, "Participants trained"
        elif unit == "parties" and participations:
            value, note = len(participations), "Parties taking part"
        elif unit == "documents" and draft.type == T.GUIDANCE:
            value, note = 1, "Published"
        elif unit in ("laws", "inventories") and draft.type in NATIONAL_TYPES:
            value, note = 1, "Completed with the activity's support"
        if value is not None:
            values.append((result, Decimal(value), note))
    return values


def _report(rng, ctx, draft, activity, outcome, results):
    participations = _participations(rng, draft)
    title = draft.fields["title"]
    materials = [(kind, (label or title)[:255], "") for kind, label in MATERIALS[draft.type]]
    people = sum(w + m + u for _c, w, m, u in participations)
    if participations:
        women = sum(w for _c, w, _m, _u in participations)
        summary = (f"{people} people ({women} women) from {len(participations)} "
                   f"{'Party' if len(participations) == 1 else 'Parties'} took part. {rng.choice(FINDINGS)}")
    else:
        summary = f"Published in {', '.join(activity.language_labels())} and sent to the focal points of all Parties."
    report = services.report_create(
        actor=None, activity=activity, summary=summary, participations=participations, materials=materials,
        indicator_values=_indicator_values(draft, results, participations),
    )
    services.report_submit(actor=None, report=report)
    if outcome == "returned":
        services.report_return(actor=None, report=report, comment=RETURN_COMMENT)
    elif outcome == "approved":
        services.report_approve(actor=None, report=report)
    return report


def _outcomes(drafts, today, *, current):
    """What became of each completed activity's report: most approved; one in thirty-one not yet
    written; in the ``current`` programme, those that ended in the last six weeks (and one in
    fifteen of the others) waiting for the Secretariat and the first of the others returned."""
    outcomes, returned = {}, current
    for draft in drafts:
        if draft.status != S.COMPLETED:
            continue
        if (today - draft.actual[1]).days <= 45 or (current and draft.index % 15 == 6):
            outcomes[draft.code] = "submitted"
        elif returned:
            outcomes[draft.code], returned = "returned", False
        elif draft.index % 31 == 20:
            outcomes[draft.code] = "none"
        else:
            outcomes[draft.code] = "approved"
    return outcomes


def _answer_evaluations(seed, ctx, activities):
    """Answer about three in five of the follow-up evaluations that came due at least two weeks
    ago (those of the showcase Parties stay for their focal points to answer)."""
    due = Evaluation.objects.filter(activity__in=activities, due_on__lte=ctx.today).select_related("activity", "country")
    sent, answered = [], []
    for evaluation in due.order_by("activity__code", "country__iso3"):
        rng = random.Random(f"{seed}:planning:evaluation:{evaluation.activity.code}:{evaluation.country.iso3}")
        sent_at = timezone.make_aware(datetime.combine(evaluation.due_on, time(7, 30)))
        sent.append((evaluation.pk, sent_at))
        if evaluation.country.iso3 in SHOWCASE or (ctx.today - evaluation.due_on).days < 14 or rng.random() > 0.6:
            continue
        outcome = rng.choices(("met", "partly_met", "not_met"), (35, 45, 20))[0]
        usefulness = {"met": rng.randint(4, 5), "partly_met": rng.randint(3, 4), "not_met": rng.randint(1, 3)}[outcome]
        services.evaluation_answer(actor=None, evaluation=evaluation, usefulness=usefulness, outcome=outcome, applied=rng.choice(APPLIED))
        answered_at = min(sent_at + timedelta(days=rng.randint(3, 45), hours=rng.randint(1, 8)), ctx.now)
        answered.append((evaluation.pk, answered_at))
    # The moments the services stamp "now" happened earlier: the daily task sent each request for
    # an evaluation on the day it came due (seeding e-mails no one), and the answers followed.
    Evaluation.objects.bulk_update([Evaluation(pk=pk, sent_at=at) for pk, at in sent], ["sent_at"], batch_size=500)
    Evaluation.objects.bulk_update([Evaluation(pk=pk, answered_at=at) for pk, at in answered], ["answered_at"], batch_size=500)


def _date_reports(seed, ctx, reports):
    """Reports were written, submitted and reviewed some weeks after their activity ended (the
    services stamp "now"): set those moments directly."""
    updates = []
    for report, end in reports:
        rng = random.Random(f"{seed}:planning:report:{report.activity.code}")
        created = min(timezone.make_aware(datetime.combine(end, time(9))) + timedelta(days=rng.randint(5, 20)), ctx.now)
        report.created_at = created
        report.submitted_at = min(created + timedelta(days=rng.randint(1, 10)), ctx.now)
        if report.status in (ActivityReport.Status.APPROVED, ActivityReport.Status.RETURNED):
            report.reviewed_at = min(report.submitted_at + timedelta(days=rng.randint(2, 21)), ctx.now)
        updates.append(report)
    ActivityReport.objects.bulk_update(updates, ["created_at", "submitted_at", "reviewed_at"], batch_size=500)


# -- The run --------------------------------------------------------------------------------------------------


def _areas(ctx, plan):
    keys = {paragraph.pk: key for key, paragraph in ctx.paragraphs.items()}
    areas = list(plan.priority_areas.prefetch_related("themes", "regional_groups", "paragraphs", "results").order_by("number"))
    for area in areas:
        area.themes_cached = list(area.themes.all())
        area.theme_codes = {theme.code for theme in area.themes_cached}
        area.families = {_top(code) for code in area.theme_codes}
        area.group_codes = {group.code for group in area.regional_groups.all()}
        area.results_cached = list(area.results.all())
        area.paragraph_keys = [keys[p.pk] for p in area.paragraphs.all() if p.pk in keys]
    return areas


def activity_count(scale):
    return sum(count for _year, _plan, count, _share in PROGRAMMES) * max(1, scale)


def seed_planning(*, scale=1, seed=2026, today=None):
    """Create the demo mandates, plans, programmes and activities not yet there; returns how many
    activities were created."""
    # The needs the reports and evaluations meet are rescored when the transaction commits: keep
    # the task runner quiet.
    with quiet_tasks(), transaction.atomic():
        return _seed(scale, seed, today or timezone.localdate())


def _seed(scale, seed, today):
    ctx = _context(seed, today)
    if ctx is None or not _mandates(ctx):
        return 0
    plans = {spec.title: _plan(ctx, spec) for spec in PLANS}
    created = []
    for start_year, plan_title, count, share in PROGRAMMES:
        programme = Programme.objects.filter(start_year=start_year).first()
        if programme is None:
            programme = services.programme_create(actor=None, plan=plans[plan_title], start_year=start_year)
            services.programme_publish(actor=None, programme=programme)
        areas = _areas(ctx, programme.plan)
        existing = set(Activity.objects.filter(programme=programme).values_list("code", flat=True))
        drafts = [_draft(ctx, programme, areas, index, seed, share) for index in range(count * max(1, scale))]
        drafts = [draft for draft in drafts if draft.code not in existing]
        current = start_year == PROGRAMMES[-1][0]
        outcomes = _outcomes(drafts, ctx.today, current=current)
        reports = []
        for draft in drafts:
            rng = random.Random(f"{seed}:planning:{draft.code}:delivery")
            activity = _create(rng, ctx, draft, programme)
            created.append(activity)
            outcome = outcomes.get(draft.code, "none")
            if outcome != "none":
                results = draft.area.results_cached if draft.area else []
                reports.append((_report(rng, ctx, draft, activity, outcome, results), draft.actual[1]))
        _date_reports(seed, ctx, reports)
    _answer_evaluations(seed, ctx, created)
    return len(created)


def demo_counts():
    return {
        "COP decisions": Decision.objects.count(),
        "planning activities": Activity.objects.count(),
        "activity reports": ActivityReport.objects.count(),
        "evaluations": Evaluation.objects.count(),
    }
