"""Demo offers from the demo providers: realistic, deterministic, idempotent and fast at any scale.

About 150 offers at scale 1 and 2,200 more per step of ``--scale`` (about 20,000 at 10), across
the four kinds of help and their refinements and every top-level theme, mostly in English with
some in French and Spanish. Each provider offers what it is known for (customs training from the
WCO, e-learning from UNITAR, grants and equipment from governments), in its currency.

Offer number ``i`` is drawn from its own random generator (seeded with ``seed`` and ``i``), so a
larger scale extends a smaller one and a second run finds every offer it would create already
there (an offer is known by its provider and title). Periods are set around the day of seeding:
some standing, some running, some ended (closed), some still to come.

At 20,000 offers the services (one offer at a time, with history and search index) would take
minutes, so offers, their link rows and languages are inserted in bulk, each offer gets one
"created" history entry, and the offers are indexed for search in batches.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from tahub.accounts.demo import DOMAIN, FIRST_NAMES, LAST_NAMES, PROVIDERS
from tahub.accounts.models import Organisation, User
from tahub.offers import demo_data
from tahub.offers.demo_data import COMPANIONS, EXTRA_LANGUAGES, MODALITIES, PERIODS, PROFILES, RATES
from tahub.offers.models import Offer, OfferLanguage, OfferLink
from tahub.offers.search import index_offers
from tahub.reference.models import Convention, Country, KindOfHelp, RegionalGroup, Theme

OFFERS_AT_SCALE_1 = 150
MORE_PER_SCALE = 2200
BATCH = 2000


def offer_count(scale):
    return OFFERS_AT_SCALE_1 + MORE_PER_SCALE * (max(1, scale) - 1)


@dataclass
class Context:
    """The reference data and organisations the offers are drawn from, read once."""

    kinds: list  # refinement codes, in order
    kind_ids: dict
    top_themes: list
    theme_children: dict
    theme_ids: dict
    conventions: dict
    groups: dict  # code → RegionalGroup
    countries: dict  # regional group code → eligible Parties
    by_iso3: dict
    providers: dict  # (acronym, copy) → Organisation
    recorder: User | None
    today: date
    seen: set = field(default_factory=set)


def _context(scale, today):
    kinds = list(KindOfHelp.objects.filter(parent__isnull=False).order_by("order", "code"))
    themes = list(Theme.objects.order_by("order", "code"))
    if not kinds or not themes:
        return None
    countries = {}
    parties = Country.objects.parties().eligible_for_assistance().select_related("regional_group").order_by("iso3")
    for country in parties:
        if country.regional_group:
            countries.setdefault(country.regional_group.code, []).append(country)
    names = {}
    for copy in range(max(1, scale)):
        for name, acronym, _type, _iso3 in PROVIDERS:
            names[name if copy == 0 else f"{name} (programme {copy + 1})"] = (acronym, copy)
    providers = {names[org.name]: org for org in Organisation.objects.filter(name__in=names)}
    if not providers:
        return None
    return Context(
        kinds=[kind.code for kind in kinds],
        kind_ids={kind.code: kind.pk for kind in KindOfHelp.objects.all()},
        top_themes=[theme.code for theme in themes if theme.parent_id is None],
        theme_children={
            top.code: [theme.code for theme in themes if theme.parent_id == top.pk]
            for top in themes if top.parent_id is None
        },
        theme_ids={theme.code: theme.pk for theme in themes},
        conventions=dict(Convention.objects.values_list("code", "pk")),
        groups={group.code: group for group in RegionalGroup.objects.all()},
        countries=countries,
        by_iso3={country.iso3: country for group in countries.values() for country in group},
        providers=providers,
        recorder=User.objects.filter(email=f"secretariat@{DOMAIN}").first(),
        today=today,
    )


@dataclass
class Draft:
    """One offer to create with what links to it."""

    offer: Offer
    kinds: list
    themes: list
    conventions: list
    groups: list
    countries: list
    languages: list
    links: list


def _pick_provider(rng, index, kind, theme):
    weights = []
    for profile in PROFILES.values():
        weight = 1
        weight += 8 if any(theme.startswith(prefix) for prefix in profile.themes) else 0
        weight += 5 if any(kind.startswith(prefix) for prefix in profile.kinds) else 0
        weights.append(weight)
    acronym = rng.choices(list(PROFILES), weights)[0]
    # The first 150 offers are the original providers'; each further step of the scale goes to the
    # programme copies of them that accounts.demo creates at that step, so the demo's real
    # providers keep a browsable number of offers at any scale.
    copy = 0 if index < OFFERS_AT_SCALE_1 else (index - OFFERS_AT_SCALE_1) // MORE_PER_SCALE + 1
    return acronym, copy


def _text_language(rng, profile):
    roll = rng.random()
    return "fr" if roll < profile.french else "es" if roll < profile.french + profile.spanish else "en"


def _eligibility(rng, ctx, lang, profile):
    """``(flags, groups, countries, named)``: who is eligible, and the audience a title names (or None).

    Offers in French or Spanish, and from providers with a home region, mostly go to that region
    or to some of its countries; the others mostly to all developing (and transition) Parties.
    """
    flags = dict.fromkeys(("eligible_developing", "eligible_transition", "eligible_ldc", "eligible_sids"), False)
    home = {"fr": "AFRICA", "es": "GRULAC"}.get(lang) or profile.region
    bounds = (0.2, 0.2, 0.35, 0.7) if home else (0.35, 0.5, 0.65, 0.82)  # all, with transition, LDC/SIDS, group
    roll = rng.random()
    if roll < bounds[1] or not ctx.countries:
        flags["eligible_developing"] = home != "EASTERN_EUROPE"
        flags["eligible_transition"] = home == "EASTERN_EUROPE" or roll >= bounds[0]
        return flags, [], [], None
    if roll < bounds[2]:
        which = rng.choice(("ldc", "ldc", "sids", "both"))
        flags["eligible_ldc"] = which in ("ldc", "both")
        flags["eligible_sids"] = which in ("sids", "both")
        return flags, [], [], None if which == "both" else ("audience", which)
    regions = sorted(code for code in ctx.countries if code != "WEOG") or sorted(ctx.countries)
    code = home if home in ctx.countries else rng.choice(regions)
    if roll < bounds[3] and code in ctx.groups:
        return flags, [ctx.groups[code]], [], ("group", ctx.groups[code])
    speakers = {"fr": demo_data.FRENCH_SPEAKING, "es": demo_data.SPANISH_SPEAKING}.get(lang, ())
    pool = [ctx.by_iso3[iso3] for iso3 in speakers if iso3 in ctx.by_iso3] or ctx.countries[code]
    chosen = sorted(rng.sample(pool, k=min(len(pool), rng.randint(2, 6))), key=lambda country: country.iso3)
    return flags, [], chosen, ("countries", chosen) if len(chosen) == 2 else None


def _audience(named, lang):
    if named is None:
        return ""
    what, value = named
    if what == "audience":
        return demo_data.AUDIENCES[value][lang]
    if what == "group":
        return demo_data.AUDIENCES["group"][lang].format(name=getattr(value, f"name_{lang}") or value.name_en)
    first, second = (getattr(country, f"name_{lang}") or country.name_en for country in value)
    return demo_data.AUDIENCES["countries"][lang].format(first=first, second=second)


def _period(rng, index, today):
    """``(starts_on, ends_on, ended)``."""
    period = PERIODS[(index * 3) % len(PERIODS)]
    if period == "standing":
        return (today - timedelta(days=rng.randint(30, 900)) if rng.random() < 0.5 else None), None, False
    if period == "ended":
        ends = today - timedelta(days=rng.randint(10, 700))
        return ends - timedelta(days=rng.randint(20, 365)), ends, True
    if period == "future":
        starts = today + timedelta(days=rng.randint(20, 300))
        return starts, starts + timedelta(days=rng.randint(1, 240)), False
    return today - timedelta(days=rng.randint(5, 300)), today + timedelta(days=rng.randint(15, 540)), False


def _value(rng, kind, currency):
    """``(amount, currency, places, expert_days, countries_capacity, in_kind_days)`` for the kind of help."""
    amount = places = expert_days = countries = in_kind = None
    if kind == "training.course":
        places, countries = rng.randint(15, 40), rng.choice((None, rng.randint(3, 12)))
    elif kind == "training.elearning":
        places = rng.choice((None, rng.randrange(100, 1001, 50)))
    elif kind == "training.twinning":
        places, countries = rng.randint(2, 6), rng.randint(1, 3)
    elif kind in ("advice.expert", "advice.legal"):
        expert_days, countries = rng.randint(5, 40), rng.randint(1, 4)
        in_kind = expert_days if rng.random() < 0.5 else None
    elif kind == "resources.financial":
        amount, countries = Decimal(rng.randrange(10_000, 200_001, 5_000)), rng.randint(2, 10)
    elif kind == "resources.equipment":
        amount = Decimal(rng.randrange(20_000, 500_001, 10_000))
    elif kind == "resources.inkind":
        in_kind = rng.randint(10, 120)
    if amount is not None:
        amount = (amount * RATES[currency]).quantize(Decimal(1))
        return amount, currency, places, expert_days, countries, in_kind
    return None, "", places, expert_days, countries, in_kind


def _title(ctx, rng, kind, theme, lang, named, provider_key):
    topic = demo_data.TOPICS.get(theme)
    topic = topic[("en", "fr", "es").index(lang)] if topic else theme.replace("_", " ")
    base = rng.choice(demo_data.TITLES[kind][lang]).format(topic=topic) + _audience(named, lang)
    title, number = base[:200], 1
    while (provider_key, title) in ctx.seen:
        number += 1
        title = f"{base[:180]}{demo_data.EDITION[lang].format(n=number)}"
    ctx.seen.add((provider_key, title))
    return title, topic


def _amount_text(amount, currency, lang):
    if amount is None:
        return ""
    digits = f"{amount:,.0f}"
    return f"{currency} {digits}" if lang == "en" else f"{digits.replace(',', chr(0x202F))} {currency}"


def _description(rng, kind, lang, topic, provider, days, amount, currency):
    opening = demo_data.OPENINGS[kind][lang].format(
        provider=provider.acronym or provider.name, topic=topic, days=days, amount=_amount_text(amount, currency, lang)
    )
    points = rng.sample(demo_data.POINTS[kind.split(".")[0]][lang], k=rng.randint(3, 4))
    bullets = "\n".join(f"- {point}" for point in points)
    return f"{opening}\n\n**{demo_data.HEADINGS[lang]}**\n\n{bullets}\n\n{demo_data.CLOSINGS[lang]}"


def _aware(day, rng):
    return timezone.make_aware(datetime.combine(day, time(8, 0)) + timedelta(minutes=rng.randint(0, 600)))


def _draft(index, seed, ctx):
    """Offer number ``index``, or None when its provider is not in the database (a smaller scale)."""
    rng = random.Random(f"{seed}:offer:{index}")
    kind = ctx.kinds[index % len(ctx.kinds)]
    top = ctx.top_themes[index % len(ctx.top_themes)]
    children = ctx.theme_children.get(top) or [top]
    theme = rng.choice(children) if rng.random() < 0.8 else top
    acronym, copy = _pick_provider(rng, index, kind, theme)
    provider = ctx.providers.get((acronym, copy))
    if provider is None:
        return None
    profile = PROFILES[acronym]
    lang = _text_language(rng, profile)
    flags, groups, countries, named = _eligibility(rng, ctx, lang, profile)
    title, topic = _title(ctx, rng, kind, theme, lang, named, (acronym, copy))
    starts_on, ends_on, ended = _period(rng, index, ctx.today)
    amount, currency, places, expert_days, countries_capacity, in_kind_days = _value(rng, kind, profile.currency)
    days = expert_days or in_kind_days or rng.randint(3, 10)
    domain = f"{(provider.acronym or 'provider').lower().replace(' ', '-')}.example.org"
    email = f"{kind.split('.')[0]}@{domain}"

    # Exact shares of every 10, 25, 50 and 75 offers (not draws), so a small demo has each case.
    status = Offer.Status.PUBLISHED
    if ended:
        status = Offer.Status.CLOSED
    elif index % 25 == 7:
        status = Offer.Status.DRAFT
    elif index % 75 == 40:
        status = Offer.Status.WITHDRAWN
    visibility = Offer.Visibility.PUBLIC
    if index % 50 == 17:
        visibility = Offer.Visibility.SECRETARIAT
    elif index % 10 == 3:
        visibility = Offer.Visibility.PARTIES

    published_at = None
    if status != Offer.Status.DRAFT:
        first_day = min(starts_on or ctx.today, ctx.today) - timedelta(days=rng.randint(5, 90))
        published_at = _aware(first_day, rng)
    recorded = (
        ctx.recorder is not None and provider.type == Organisation.Type.PARTY_GOVERNMENT and rng.random() < 0.2
    )
    offer = Offer(
        provider=provider,
        title=title,
        description=_description(rng, kind, lang, topic, provider, days, amount, currency),
        modality=rng.choice(MODALITIES[kind]),
        starts_on=starts_on,
        ends_on=ends_on,
        places=places,
        expert_days=expert_days,
        countries_capacity=countries_capacity,
        amount=amount,
        currency=currency,
        in_kind_days=in_kind_days,
        how_to_apply=demo_data.HOW_TO_APPLY[lang].format(email=email),
        contact_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
        contact_email=email,
        visibility=visibility,
        status=status,
        withdrawn_reason=rng.choice(demo_data.WITHDRAWN_REASONS) if status == Offer.Status.WITHDRAWN else "",
        published_at=published_at,
        closed_at=_aware(ends_on + timedelta(days=1), rng) if ended else None,
        recorded_by=ctx.recorder if recorded else None,
        received_as=f"{rng.choice(('Letter', 'E-mail'))} of {published_at or ctx.today:%d %B %Y}" if recorded else "",
        **flags,
    )
    kinds = [kind]
    if kind in COMPANIONS and rng.random() < 0.25:
        kinds.append(COMPANIONS[kind])
    themes = [theme]
    if rng.random() < 0.3:
        themes.append(rng.choice([code for code in ctx.theme_ids if code != theme]))
    conventions = []
    if rng.random() < 0.95:
        conventions.append("basel")
    if theme.startswith(("waste_management.pops", "technologies")) and rng.random() < 0.5:
        conventions.append("stockholm")
    if theme.startswith(("notification", "information")) and rng.random() < 0.3:
        conventions.append("rotterdam")
    languages = [lang] + [code for code, share in EXTRA_LANGUAGES[lang] if rng.random() < share]
    links = []
    if kind in ("training.elearning", "knowhow.guidance", "knowhow.technology") and rng.random() < 0.7:
        links.append((demo_data.MORE_INFORMATION[lang], f"https://{domain}/offers/{index + 1}"))
    return Draft(
        offer=offer,
        kinds=[ctx.kind_ids[code] for code in kinds],
        themes=[ctx.theme_ids[code] for code in themes],
        conventions=[ctx.conventions[code] for code in conventions if code in ctx.conventions],
        groups=[group.pk for group in groups],
        countries=[country.pk for country in countries],
        languages=languages,
        links=links,
    )


def _insert_links(drafts):
    """The link rows of the created offers, in bulk."""
    rows = {
        Offer.kinds.through: ("kindofhelp_id", "kinds"),
        Offer.themes.through: ("theme_id", "themes"),
        Offer.conventions.through: ("convention_id", "conventions"),
        Offer.eligible_groups.through: ("regionalgroup_id", "groups"),
        Offer.eligible_countries.through: ("country_id", "countries"),
    }
    for model, (column, attr) in rows.items():
        model.objects.bulk_create(
            [model(offer_id=draft.offer.pk, **{column: pk}) for draft in drafts for pk in getattr(draft, attr)],
            batch_size=BATCH,
        )
    OfferLanguage.objects.bulk_create(
        [OfferLanguage(offer_id=draft.offer.pk, code=code) for draft in drafts for code in draft.languages],
        batch_size=BATCH,
    )
    OfferLink.objects.bulk_create(
        [OfferLink(offer_id=draft.offer.pk, title=title, url=url) for draft in drafts for title, url in draft.links],
        batch_size=BATCH,
    )


def _record_creation(ids):
    """One "created" history entry per offer, copied by the database from the rows just inserted.

    simple_history's ``bulk_create_with_history`` builds each entry in Python and sends every
    value back as a parameter: for 20,000 offers that took longer than inserting the offers.
    """
    history = Offer.history.model
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in history.tracked_fields)
    placeholders = ", ".join(["%s"] * len(ids))
    sql = (
        f"INSERT INTO {quote(history._meta.db_table)} ({columns}, history_date, history_change_reason, history_type, "  # noqa: S608
        f"history_user_id) SELECT {columns}, %s, '', '+', NULL FROM {quote(Offer._meta.db_table)} "
        f"WHERE id IN ({placeholders})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [connection.ops.adapt_datetimefield_value(timezone.now()), *ids])


@transaction.atomic
def seed_offers(*, scale=1, seed=2026, today=None):
    """Create the demo offers not yet there; returns how many were created."""
    ctx = _context(scale, today or timezone.localdate())
    if ctx is None:
        return 0
    existing = set(
        Offer.objects.filter(provider__in=ctx.providers.values()).values_list("provider_id", "title")
    )
    drafts = []
    for index in range(offer_count(scale)):
        draft = _draft(index, seed, ctx)
        if draft is not None and (draft.offer.provider_id, draft.offer.title) not in existing:
            drafts.append(draft)
    if not drafts:
        return 0
    Offer.objects.bulk_create([draft.offer for draft in drafts], batch_size=BATCH)
    _insert_links(drafts)
    ids = [draft.offer.pk for draft in drafts]
    for start in range(0, len(ids), BATCH):
        _record_creation(ids[start:start + BATCH])
        index_offers(ids[start:start + BATCH])
    return len(drafts)


def demo_counts():
    return {"offers": Offer.objects.count()}
