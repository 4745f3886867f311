"""Demo requests for assistance: realistic, deterministic, idempotent and fast at any scale.

About 120 requests at scale 1 (120 more per step of ``--scale``) from developing and transition
Parties, mostly those with demo focal points (Kenya, Senegal and Peru most of all), submitted
from 2019 to 2026, in every state of the workflow: waiting for review, asked for more
information, accepted, with help identified, in delivery, completed, closed with the Party's
rating, declined with a reason, withdrawn. A few are emergencies (abandoned drums at a port, a
fire at an e-waste dump site, an illegal import of used lead-acid batteries, a mercury spill).
Each asks for help the reference lists name (themes and kinds of help), has the conversation
such a request has, answers one of the Party's needs when the needs assessment found one, and
some are published for providers.

Request number ``i`` is planned from its own random generator (seeded with ``seed`` and ``i``):
its Party, subject, the states it went through and when, who acted and what was said. A larger
scale extends a smaller one, and a second run finds every request it would create already there
(a request is known by its Party and title).

The first 120 requests are driven through ``assistance.services`` (filing and routing, moves,
messages, answers, centres taking or declining, feedback), so that their timeline, routing,
history and notifications are the real ones; the moments are then set in the past with
``update()``: submission, each event and message, the service-level clock (so that some open
requests are overdue) and acknowledgement and end, which the dashboard's medians read. The
notifications this queues are marked sent: seeding sends no e-mail. The benchmark copies beyond
120 follow the same plans but are inserted in bulk, with the rows the services would have
written (events, routings, messages, one "created" history entry), as ``offers.demo`` does.
"""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from tahub.accounts.demo import DOMAIN, FOCAL_POINT_PARTIES, SECRETARIAT_TEAM, _spread_over_groups
from tahub.accounts.models import Membership, User
from tahub.accounts.roles import Role
from tahub.assessments.demo import REGIONAL_WEIGHTS
from tahub.assessments.models import Need
from tahub.assessments.services.needs import need_set_status
from tahub.assistance import services
from tahub.assistance.demo_data import (
    ACCEPTED_COMMENTS,
    ARABIC_SPEAKING,
    ASK_FEEDBACK,
    CENTRE_DECLINES,
    CENTRE_TAKES,
    CLOSED_WITHOUT_FEEDBACK,
    CONTRIBUTIONS,
    DECLINE_REASONS,
    EMERGENCIES,
    EMERGENCY_EVERY,
    MINING_TOWNS,
    MIXED_FEEDBACK,
    OTHER_PROVIDERS,
    PARTY_ADDS,
    PARTY_CONFIRMS,
    PLACES,
    POOR_FEEDBACK,
    PORTUGUESE_SPEAKING,
    PROVIDERS,
    REVIEWING,
    RUSSIAN_SPEAKING,
    SHOWCASE,
    STATE_SHARES,
    TOPIC_BY_KEY,
    TOPICS,
    WITHDRAW_REASONS,
    Topic,
)
from tahub.assistance.models import (
    CentreRouting,
    Notification,
    Request,
    RequestEvent,
    RequestMessage,
)
from tahub.assistance.service_levels import add_working_days
from tahub.core.logs import quiet_tasks
from tahub.offers.demo_data import FRENCH_SPEAKING, SPANISH_SPEAKING
from tahub.reference.models import Convention, Country, KindOfHelp, RegionalCentre, Theme

REQUESTS_AT_SCALE_1 = 120
BATCH = 1000
FIRST_DAY = datetime(2019, 1, 7, 9, 0)
S = Request.Status


def request_count(scale):
    return REQUESTS_AT_SCALE_1 * max(1, scale)


# Reference data and people, read once.


@dataclass
class Context:
    now: datetime
    countries: list  # eligible Parties, by ISO3
    weights: list
    by_iso3: dict
    themes: dict  # code → Theme
    kinds: dict
    conventions: dict
    needs: dict  # (country id, theme code) → Need
    focal: dict  # country id → first active focal point
    rfp: dict  # regional group id → the owner the services choose
    team: dict  # e-mail → Secretariat officer
    centres: dict  # country id → active centres serving it, by acronym
    staff: dict  # centre id → first active staff member
    served: dict  # centre id → eligible Parties it serves
    levels: dict = field(default_factory=dict)
    seen: set = field(default_factory=set)
    pattern: list = field(default_factory=list)

    def level(self, status, urgency):
        if (status, urgency) not in self.levels:
            self.levels[status, urgency] = services.service_level_days(status, urgency)
        return self.levels[status, urgency]


def _first_by_scope(role, scope):
    """``{scope id: user}``: the active person with ``role`` and the lowest id, as the services pick."""
    people = {}
    memberships = (
        Membership.objects.active().filter(role=role, user__is_active=True).select_related("user").order_by("user_id")
    )
    for membership in memberships:
        people.setdefault(getattr(membership, f"{scope}_id"), membership.user)
    return people


def _context(seed, now):
    countries = list(
        Country.objects.parties().eligible_for_assistance().select_related("regional_group").order_by("iso3")
    )
    themes = {theme.code: theme for theme in Theme.objects.select_related("parent")}
    kinds = {kind.code: kind for kind in KindOfHelp.objects.all()}
    team = {user.email: user for user in User.objects.filter(email__in=[email for email, _title in SECRETARIAT_TEAM])}
    if not countries or not themes or not kinds or f"secretariat@{DOMAIN}" not in team:
        return None
    # The Parties with a demo focal point at scale 1 (a larger scale keeps them), Kenya, Senegal
    # and Peru most of all.
    with_focal_point = {country.iso3 for country in _spread_over_groups(countries, FOCAL_POINT_PARTIES, seed)}
    weights = [12 if c.iso3 in {"KEN", "SEN", "PER"} else 3 if c.iso3 in with_focal_point else 1 for c in countries]
    centres, served = {}, {}
    active = RegionalCentre.objects.filter(status=RegionalCentre.Status.ACTIVE).prefetch_related("countries_served")
    eligible = {country.pk: country for country in countries}
    for centre in sorted(active, key=lambda centre: centre.acronym):
        for country in centre.countries_served.all():
            centres.setdefault(country.pk, []).append(centre)
            if country.pk in eligible:
                served.setdefault(centre.pk, []).append(eligible[country.pk])
    needs = {
        (need.country_id, need.theme.code): need
        for need in Need.objects.filter(country__in=countries).select_related("theme")
    }
    pattern = [status for status, share in STATE_SHARES for _n in range(share)]
    random.Random(f"{seed}:states").shuffle(pattern)
    return Context(
        now=now, countries=countries, weights=weights, by_iso3={c.iso3: c for c in countries}, themes=themes,
        kinds=kinds, conventions=dict(Convention.objects.in_bulk(field_name="code")), needs=needs,
        focal=_first_by_scope(Role.PARTY_FOCAL_POINT, "country"),
        rfp=_first_by_scope(Role.REGIONAL_FOCAL_POINT, "regional_group"),
        team=team, centres=centres, staff=_first_by_scope(Role.CENTRE_STAFF, "centre"), served=served,
        pattern=pattern,
    )


# Planning one request: who asks what, what happens, when.


@dataclass
class Step:
    action: str  # file, link_need, message, move, answer, take, decline_routing, assign, feedback
    actor: User | None = None
    to: str = ""
    text: str = ""
    centre: RegionalCentre | None = None
    owner: User | None = None
    rating: int | None = None
    need_met: str = ""
    offset: float = 0.0  # days after filing
    at: datetime | None = None

    @property
    def changes_status(self):
        return self.action in ("move", "answer", "feedback")


@dataclass
class Plan:
    index: int
    country: Country
    topic: Topic
    title: str
    final: str
    data: dict
    co_requesters: list
    need: object
    steps: list
    source_document: str = ""
    overdue: bool = False

    @property
    def urgency(self):
        return self.data["urgency"]


def _places(country):
    """What "{city}", "{port}" and "{town}" stand for in the texts about ``country``."""
    city, port = PLACES.get(country.iso3, (None, None))
    city = city or "the capital"
    return {"city": city, "port": port or "the main port", "town": MINING_TOWNS.get(country.iso3, city)}


def _languages(rng, country):
    code = country.iso3
    first = (
        "fr" if code in FRENCH_SPEAKING else "es" if code in SPANISH_SPEAKING else "pt" if code in PORTUGUESE_SPEAKING
        else "ar" if code in ARABIC_SPEAKING else "ru" if code in RUSSIAN_SPEAKING else "zh" if code == "CHN" else "en"
    )
    return [first] if first == "en" or rng.random() < 0.3 else [first, "en"]


def _pick_country(rng, ctx, topic=None):
    """A Party, weighted towards those with demo focal points; for an incident, one where it could
    happen (with a port or a city to name), the showcase Parties only a little more often."""
    pairs = list(zip(ctx.countries, ctx.weights, strict=True))
    if topic is not None:
        place = 1 if "{port}" in topic.titles[0] else 0 if "{city}" in topic.titles[0] else None
        pairs = [
            (country, min(weight, 2)) for country, weight in pairs
            if (place is None or (country.iso3 in PLACES and PLACES[country.iso3][place]))
            and (not topic.parties or country.iso3 in topic.parties)
        ]
    if not pairs:
        return None
    return rng.choices([country for country, _w in pairs], [weight for _c, weight in pairs])[0]


def _pick_topic(rng, country):
    """An ordinary subject, weighted by what the Party's region most needs (see assessments.demo)."""
    weights = REGIONAL_WEIGHTS.get(country.regional_group.code if country.regional_group else "", {})

    def weight(topic):
        return max(next((w for prefix, w in weights.items() if theme.startswith(prefix)), 1.0) for theme in topic.themes)

    return rng.choices(TOPICS, [weight(topic) ** 2 for topic in TOPICS])[0]


def _title(ctx, rng, topic, country, centre):
    titles = topic.titles
    if country.iso3 not in PLACES:  # "... in the capital" makes a poor title
        titles = [title for title in titles if "{city}" not in title and "{port}" not in title] or titles
    base = rng.choice(titles).format(centre=centre.acronym if centre else "the regional centre", **_places(country))
    title, number = base[:200], 1
    while (country.pk, title) in ctx.seen:
        number += 1
        title = f"{base[:180]} ({'incident' if topic.incident else 'phase'} {number})"
    ctx.seen.add((country.pk, title))
    return title


def _need_for(ctx, country, topic):
    for code in topic.themes:
        theme = ctx.themes.get(code)
        for candidate in (code, theme.parent.code if theme and theme.parent else None):
            need = ctx.needs.get((country.pk, candidate))
            if need is not None:
                return need
    return None


def _provider(rng, topic):
    return rng.choice(PROVIDERS[topic.kinds[0].split(".")[0]])


def _officer(ctx, topic, emergency):
    if emergency:
        return ctx.team[f"secretariat@{DOMAIN}"]
    if topic.themes[0].startswith(("legal", "enforcement.prosecution")):
        email = f"legal.officer@{DOMAIN}"
    elif topic.kinds[0].startswith("training"):
        email = f"capacity.officer@{DOMAIN}"
    else:
        email = f"programme.officer@{DOMAIN}"
    return ctx.team.get(email) or ctx.team[f"secretariat@{DOMAIN}"]


class _Steps:
    """The steps of a plan, each some days after the one before."""

    def __init__(self, rng, pace):
        self.rng, self.pace, self.steps, self.t = rng, pace, [], 0.0

    def add(self, low, high, step):
        self.t += self.rng.uniform(low, high) * self.pace
        step.offset = self.t
        self.steps.append(step)
        return step


def _feedback(rng, topic):
    rating = rng.choices((5, 4, 3, 2, 1), (35, 35, 18, 9, 3))[0]
    if rating >= 4:
        return rating, rng.choices(("met", "partly"), (6, 4))[0], topic.praise
    if rating == 3:
        return rating, rng.choices(("partly", "met", "not_met"), (7, 1, 2))[0], rng.choice(MIXED_FEEDBACK)
    return rating, rng.choices(("not_met", "partly"), (7, 3))[0], rng.choice(POOR_FEEDBACK)


def _steps(rng, ctx, plan, filer):
    """The steps of ``plan`` from filing to its final state: one path through the workflow, read
    top to bottom; the random draws decide the detours (a question asked, a centre taking it)."""
    topic, final, country = plan.topic, plan.final, plan.country
    emergency = plan.urgency == Request.Urgency.EMERGENCY
    party = ctx.focal.get(country.pk)
    head = ctx.team[f"secretariat@{DOMAIN}"]
    staff = ctx.rfp.get(country.regional_group_id) or head
    steps = _Steps(rng, 0.15 if emergency else 1.0)

    def move(low, high, to, actor, text=""):
        return steps.add(low, high, Step("move", actor=actor, to=to, text=text))

    def message(low, high, actor, text):
        if actor is not None:
            steps.add(low, high, Step("message", actor=actor, text=text))

    def withdraw(low, high):
        reason = rng.choice(WITHDRAW_REASONS)
        move(low, high, S.WITHDRAWN, party, reason if party else f"By letter to the Secretariat: {reason}")

    steps.add(0, 0, Step("file", actor=filer))
    if plan.need is not None:
        steps.add(0.005, 0.05, Step("link_need", actor=party))
    if final == S.SUBMITTED:
        if party and rng.random() < 0.3:
            message(0.2, 2, party, rng.choice(PARTY_ADDS))
        return steps.steps
    if final == S.DECLINED and rng.random() < 0.25:
        move(2, 10, S.DECLINED, staff, rng.choice(DECLINE_REASONS))
        return steps.steps
    if final == S.WITHDRAWN and rng.random() < 0.2:
        withdraw(1, 20)
        return steps.steps
    move(0.5, 7, S.UNDER_REVIEW, head if emergency else staff)
    if emergency:
        message(0.01, 0.05, head, topic.first_response)
    elif rng.random() < 0.6:
        message(0.1, 1, staff, rng.choice(REVIEWING))
    if emergency or rng.random() < 0.12:
        officer = _officer(ctx, topic, emergency)
        if officer != staff:
            steps.add(0.01, 0.3, Step("assign", actor=head, owner=officer))
            staff = officer
    if final == S.MORE_INFORMATION or rng.random() < 0.3:
        move(2, 10, S.MORE_INFORMATION, staff, topic.question)
        if final == S.MORE_INFORMATION:
            return steps.steps
        if final == S.WITHDRAWN and rng.random() < 0.4:
            withdraw(5, 40)
            return steps.steps
        if final == S.DECLINED and rng.random() < 0.4:
            move(60, 90, S.DECLINED, staff, "No answer came to our question in three months. Please submit the request again when the information is available.")
            return steps.steps
        if party:
            steps.add(4, 30, Step("answer", actor=party, text=topic.answer))
        else:
            move(4, 30, S.UNDER_REVIEW, staff, f"The Party answered by letter: {topic.answer}")
    if final == S.UNDER_REVIEW:
        if party and rng.random() < 0.3:
            message(0.5, 3, party, rng.choice(PARTY_ADDS))
        return steps.steps
    if final == S.DECLINED:
        move(3, 15, S.DECLINED, staff, rng.choice(DECLINE_REASONS))
        return steps.steps
    if final == S.WITHDRAWN and rng.random() < 0.4:
        withdraw(3, 30)
        return steps.steps
    move(2, 12, S.ACCEPTED, staff, rng.choice(ACCEPTED_COMMENTS))
    proposed = [centre for centre in ctx.centres.get(country.pk, []) if centre.pk in ctx.staff]
    wants_centre = final in (S.HELP_IDENTIFIED, S.IN_DELIVERY, S.COMPLETED, S.CLOSED) or rng.random() < 0.3
    taker = rng.choice(proposed) if proposed and wants_centre and rng.random() < 0.8 else None
    if plan.co_requesters and proposed:
        taker = next((centre for centre in proposed if ctx.staff[centre.pk] == filer), taker)
    # The other centres decline; so do all of them when the help comes from elsewhere.
    goes_on = final in (S.HELP_IDENTIFIED, S.IN_DELIVERY, S.COMPLETED, S.CLOSED)
    reasons = CENTRE_DECLINES if taker is not None else [r for r in CENTRE_DECLINES if not r.startswith("Another")]
    for centre in proposed:
        if centre != taker and (taker is not None or goes_on or rng.random() < 0.3):
            steps.add(0.5, 6, Step("decline_routing", actor=ctx.staff[centre.pk], centre=centre, text=rng.choice(reasons)))
    deliverer = staff
    if taker is not None:
        deliverer = ctx.staff[taker.pk]
        steps.add(1, 10, Step("take", actor=deliverer, centre=taker))
        message(0.01, 0.2, deliverer, rng.choice(CENTRE_TAKES))
    if final == S.ACCEPTED:
        return steps.steps
    if final == S.WITHDRAWN and rng.random() < 0.5:
        withdraw(5, 60)
        return steps.steps
    if final == S.HELP_IDENTIFIED or rng.random() < 0.6:
        found = topic.identified.format(provider=_provider(rng, topic), donor=rng.choice(PROVIDERS["resources"]))
        move(7, 45, S.HELP_IDENTIFIED, staff, found[0].upper() + found[1:])
        if party and rng.random() < 0.5:
            message(0.5, 5, party, rng.choice(PARTY_CONFIRMS))
    if final == S.HELP_IDENTIFIED:
        return steps.steps
    if final == S.WITHDRAWN:
        withdraw(10, 90)
        return steps.steps
    move(10, 60, S.IN_DELIVERY, deliverer, "Delivery has started with an inception meeting with the ministry.")
    if party and rng.random() < 0.7:
        message(1, 10, party, rng.choice(PARTY_CONFIRMS))
    message(5, 60, deliverer, topic.delivery)
    if final == S.IN_DELIVERY:
        return steps.steps
    months = rng.randint(*topic.months)
    move(months * 25, months * 35, S.COMPLETED, deliverer, "The final report is delivered to the ministry.")
    if rng.random() < 0.6:
        message(0.5, 5, staff, ASK_FEEDBACK)
    if final == S.COMPLETED:
        return steps.steps
    if rng.random() < 0.85:
        rating, need_met, comment = _feedback(rng, topic)
        steps.add(5, 60, Step("feedback", actor=party, rating=rating, need_met=need_met, text=comment))
    else:
        move(90, 200, S.CLOSED, head, CLOSED_WITHOUT_FEEDBACK)
    return steps.steps


def _office_hours(moment):
    """The same moment, or the next one in office hours (07:00–18:00 in the site's time zone,
    Geneva's, Monday to Friday)."""
    moment = timezone.localtime(moment)
    if moment.hour < 7:
        moment = moment.replace(hour=7)
    elif moment.hour >= 18:
        moment = (moment + timedelta(days=1)).replace(hour=7)
    while moment.weekday() >= 5:
        moment = (moment + timedelta(days=1)).replace(hour=7)
    return moment


def _schedule(rng, ctx, plan):
    """Give each step its moment: ended requests somewhere from 2019 on, open ones so that they have
    been in their state for part of its service level (or, for some, longer: overdue)."""
    steps, now = plan.steps, ctx.now
    last = max(position for position, step in enumerate(steps) if step.changes_status or step.action == "file")
    t_last = steps[last].offset
    if plan.final in Request.OPEN or plan.final == S.COMPLETED:
        if plan.final == S.COMPLETED:
            tail = rng.uniform(5, 120)
        else:
            days = ctx.level(plan.final, plan.urgency) * 7 / 5
            tail = days * rng.uniform(1.3, 3.0) + 2 if plan.overdue else days * rng.uniform(0.15, 0.85)
        after = steps[-1].offset - t_last
        if after > 0.9 * tail:  # what happened in the current state fits in the time spent in it
            factor = 0.9 * tail / after
            for step in steps[last + 1:]:
                step.offset = t_last + (step.offset - t_last) * factor
        total = t_last + tail
        start = now - timedelta(days=total)
    else:
        total = steps[-1].offset
        latest = now - timedelta(days=2 + total)
        span = (latest - timezone.make_aware(FIRST_DAY)).total_seconds()
        start = timezone.make_aware(FIRST_DAY) + timedelta(seconds=rng.random() * span) if span > 0 else latest
    first = timezone.make_aware(FIRST_DAY)
    if start < first:  # older than the demo's first year: squeeze the steps
        factor = (now - first).total_seconds() / 86400 / max(total, 1)
        for step in steps:
            step.offset *= factor
        start = first
    previous = None
    for step in steps:
        moment = _office_hours(start + timedelta(days=step.offset))
        if previous is not None and moment <= previous:
            moment = previous + timedelta(minutes=rng.randint(2, 40))
        step.at = previous = moment
    late = steps[-1].at - (now - timedelta(minutes=5))
    if late > timedelta(0):
        for step in steps:
            step.at -= late


def _plan(index, seed, ctx):
    """Request number ``index``, planned from its own random generator; None if it cannot be made here."""
    rng = random.Random(f"{seed}:request:{index}")
    if index < len(SHOWCASE):
        iso3, key, final, overdue, public = SHOWCASE[index]
        topic, country = TOPIC_BY_KEY[key], ctx.by_iso3.get(iso3)
    else:
        final = ctx.pattern[index % len(ctx.pattern)]
        # Parties publish most of all the requests still looking for help (those the public list shows).
        overdue, public = rng.random() < 0.3, rng.random() < (0.7 if final in (S.ACCEPTED, S.HELP_IDENTIFIED) else 0.4)
        if index % EMERGENCY_EVERY == 9:
            topic = rng.choice(EMERGENCIES)
            country = _pick_country(rng, ctx, topic)
        else:
            country = _pick_country(rng, ctx)
            topic = _pick_topic(rng, country) if country else None
            if topic is not None and topic.regional and not ctx.centres.get(country.pk):
                topic = TOPICS[index % 3]
    if country is None:
        return None
    emergency = topic in EMERGENCIES
    centre = next(iter(ctx.centres.get(country.pk, [])), None) if topic.regional else None
    # The title first, from reference data only: a request is known by its Party and title, and a
    # run at another scale (with other people) must find the same ones.
    title = _title(ctx, rng, topic, country, centre)
    co_requesters = []
    if centre is not None:
        others = [c for c in ctx.served.get(centre.pk, []) if c.pk != country.pk]
        co_requesters = sorted(rng.sample(others, k=min(len(others), rng.randint(2, 4))), key=lambda c: c.iso3)
    places = _places(country)
    party = ctx.focal.get(country.pk)
    by_party = rng.random() < 0.8
    if co_requesters:
        filer = ctx.staff.get(centre.pk) or ctx.team[f"secretariat@{DOMAIN}"]
    elif party is not None and by_party:
        filer = party
    else:
        filer = _officer(ctx, topic, emergency)
    kinds = list(topic.kinds if len(topic.kinds) == 1 or rng.random() < 0.7 else topic.kinds[:1])
    plan = Plan(
        index=index, country=country, topic=topic, final=final, co_requesters=co_requesters, title=title,
        data={
            "description": f"{topic.problem}\n\n{topic.ask}".format(party=country.name_en, **places),
            "themes": [ctx.themes[code] for code in topic.themes if code in ctx.themes],
            "kinds": [ctx.kinds[code] for code in kinds if code in ctx.kinds],
            "conventions": [ctx.conventions[code] for code in topic.conventions if code in ctx.conventions],
            "duration_months": rng.randint(*topic.months),
            "languages": _languages(rng, country),
            "modality": topic.modality if rng.random() < 0.8 else rng.choice(("in_person", "hybrid", "online")),
            "expected_outputs": topic.outputs,
            "contribution": rng.choice(CONTRIBUTIONS),
            "other_providers": "" if emergency else rng.choice(OTHER_PROVIDERS),
            "urgency": Request.Urgency.EMERGENCY if emergency else Request.Urgency.NORMAL,
            "incident_what": topic.incident,
            "incident_where": topic.where.format(**places),
            "incident_quantities": topic.quantities,
            "is_public": public and not emergency,
        },
        need=_need_for(ctx, country, topic) if rng.random() < 0.5 else None,
        steps=[], overdue=overdue,
    )
    plan.steps = _steps(rng, ctx, plan, filer)
    _schedule(rng, ctx, plan)
    submitted = plan.steps[0].at
    plan.data["desired_start"] = (submitted + timedelta(days=rng.randint(20, 120))).date()
    if emergency:
        plan.data["incident_when"] = submitted - timedelta(hours=rng.randint(6, 72))
        plan.data["desired_start"] = submitted.date()
    if filer is not None and filer.email in ctx.team:
        letter = (submitted - timedelta(days=rng.randint(3, 20))).date()
        plan.source_document = f"Letter ref. ME/{letter:%Y}/{rng.randint(100, 999)} of {letter:%d %B %Y} from the Ministry of Environment"
    return plan


# What a plan leaves on the request.


@dataclass
class Outcome:
    status: str = ""
    status_changed_at: datetime | None = None
    due_at: datetime | None = None
    acknowledged_at: datetime | None = None
    ended_at: datetime | None = None
    decision_reason: str = ""
    owner: User | None = None
    centre: RegionalCentre | None = None
    rating: int | None = None
    need_met: str = ""
    feedback: str = ""
    feedback_at: datetime | None = None
    lock_version: int = 0


ANSWER_DELAY = timedelta(seconds=1)  # the answer's state change follows the answer itself


def _outcome(plan, ctx):
    """The request's state and clock after its steps, as the services leave them."""
    out = Outcome(owner=ctx.rfp.get(plan.country.regional_group_id))
    for step in plan.steps:
        if step.action == "file":
            out.status, out.status_changed_at = S.SUBMITTED, step.at
        elif step.action == "move":
            if out.status == S.SUBMITTED and out.acknowledged_at is None and step.to != S.WITHDRAWN:
                out.acknowledged_at = step.at
            if step.to in Request.ENDED:
                out.ended_at = step.at
            if step.to in (S.DECLINED, S.WITHDRAWN):
                out.decision_reason = step.text
            out.status, out.status_changed_at = step.to, step.at
        elif step.action == "answer":
            out.status, out.status_changed_at = S.UNDER_REVIEW, step.at + ANSWER_DELAY
        elif step.action == "take":
            out.centre = step.centre
        elif step.action == "assign":
            out.owner = step.owner
        elif step.action == "feedback":
            out.rating, out.need_met, out.feedback = step.rating, step.need_met, step.text
            out.status, out.status_changed_at = S.CLOSED, step.at
            out.feedback_at = out.ended_at = step.at
        out.lock_version += step.action in ("move", "answer", "take", "assign", "feedback")
    days = ctx.level(out.status, plan.urgency) if out.status in Request.OPEN else None
    out.due_at = add_working_days(out.status_changed_at, days) if days is not None else None
    return out


# Through the services (the first 120).


@dataclass
class Moments:
    """The moments to set after the services ran: ``{pk: moment}`` per model."""

    events: dict = field(default_factory=dict)
    history: dict = field(default_factory=dict)  # the request's history entries
    messages: dict = field(default_factory=dict)
    routings: dict = field(default_factory=dict)
    requests: list = field(default_factory=list)  # (Request, submitted at, Outcome)


def _file(plan):
    data = services.RequestData(title=plan.title, **plan.data)
    return services.request_file(
        actor=plan.steps[0].actor, country=plan.country, data=data, co_requesters=plan.co_requesters,
        source_document=plan.source_document,
    )


def _through_services(plan, ctx, moments):
    request = _file(plan)
    seen = {"events": 0, "history": 0}

    def stamp(at):
        """What the last step wrote happened ``at``."""
        for pk in RequestEvent.objects.filter(request=request, pk__gt=seen["events"]).values_list("pk", flat=True):
            moments.events[pk], seen["events"] = at, max(seen["events"], pk)
        entries = Request.history.filter(id=request.pk, history_id__gt=seen["history"])
        for pk in entries.values_list("history_id", flat=True):
            moments.history[pk], seen["history"] = at, max(seen["history"], pk)

    stamp(plan.steps[0].at)
    for step in plan.steps[1:]:
        actor, at = step.actor, step.at
        if step.action == "link_need":
            services.request_link_need(actor=actor, request=request, need=plan.need)
        elif step.action == "message":
            moments.messages[services.message_post(actor=actor, request=request, body=step.text).pk] = at
        elif step.action == "move":
            request = services.request_move(actor=actor, request=request, to=step.to, comment=step.text)
        elif step.action == "answer":
            moments.messages[services.request_answer(actor=actor, request=request, body=step.text).pk] = at
            at += ANSWER_DELAY
        elif step.action in ("take", "decline_routing"):
            routing = CentreRouting.objects.get(request=request, centre=step.centre)
            if step.action == "take":
                services.routing_take(actor=actor, routing=routing)
            else:
                services.routing_decline(actor=actor, routing=routing, reason=step.text)
            moments.routings[routing.pk] = at
        elif step.action == "assign":
            request = services.request_assign(actor=actor, request=request, owner=step.owner)
        elif step.action == "feedback":
            request = services.request_feedback(
                actor=actor, request=request, rating=step.rating, need_met=step.need_met, comment=step.text
            )
        stamp(at)
        if step.action in ("answer", "take"):  # the services changed the request behind our copy
            request = Request.objects.select_related("country", "owner", "centre").get(pk=request.pk)
    outcome = _outcome(plan, ctx)
    if request.status != outcome.status:  # the plan and the workflow disagree: a bug here
        raise AssertionError(f"demo request {plan.index}: {request.status}, planned {outcome.status}")
    moments.requests.append((request, plan.steps[0].at, outcome))


def _set_moments(moments):
    """Move what the services stamped "now" to the moments planned."""
    for request, submitted_at, outcome in moments.requests:
        request.submitted_at = submitted_at
        for name in ("status_changed_at", "due_at", "acknowledged_at", "ended_at", "feedback_at"):
            setattr(request, name, getattr(outcome, name))
    for model, values, name in (
        (RequestEvent, moments.events, "at"),
        (Request.history.model, moments.history, "history_date"),
        (RequestMessage, moments.messages, "created_at"),
        (CentreRouting, moments.routings, "decided_at"),
    ):
        model.objects.bulk_update(
            [model(pk=pk, **{name: moment}) for pk, moment in values.items()], [name], batch_size=BATCH
        )
    Request.objects.bulk_update(
        [request for request, _submitted_at, _outcome in moments.requests],
        ["submitted_at", "status_changed_at", "due_at", "acknowledged_at", "ended_at", "feedback_at"],
        batch_size=BATCH,
    )
    # The news the services queued happened then too, and was sent then: seeding e-mails no one.
    ids = [request.pk for request, _submitted_at, _outcome in moments.requests]
    pending = Notification.objects.filter(request_id__in=ids, sent_at__isnull=True)
    pending.update(created_at=Coalesce(
        Subquery(RequestEvent.objects.filter(pk=OuterRef("event_id")).values("at")[:1]),
        Subquery(RequestMessage.objects.filter(pk=OuterRef("message_id")).values("created_at")[:1]),
        F("created_at"),
    ))
    pending.update(sent_at=F("created_at"))


# In bulk (the benchmark copies).


def _rows(plan, request_id, owner, proposed):
    """The events, routings and messages the services would have written for ``plan``: ``owner``
    and the ``proposed`` centres are those its filing chose."""
    events, messages, routings = [], [], {}
    status = ""

    def event(kind, step, at=None, **values):
        actor = step.actor if step is not None and getattr(step.actor, "is_authenticated", False) else None
        events.append(RequestEvent(request_id=request_id, kind=kind, actor=actor, at=at or step.at, **values))

    for step in plan.steps:
        if step.action == "file":
            status = S.SUBMITTED
            event(RequestEvent.Kind.STATUS, step, to_status=status)
            # tahub routes the request, not the person filing it: these steps have no actor.
            if owner is not None:
                event(RequestEvent.Kind.OWNER, None, at=step.at, comment=owner.full_name or owner.email)
            for centre in proposed:
                routings[centre.pk] = CentreRouting(request_id=request_id, centre=centre)
                event(RequestEvent.Kind.CENTRE_PROPOSED, None, at=step.at, comment=centre.acronym or centre.name)
        elif step.action == "message":
            messages.append(RequestMessage(request_id=request_id, author=step.actor, body=step.text, created_at=step.at))
        elif step.action == "move":
            event(RequestEvent.Kind.STATUS, step, from_status=status, to_status=step.to, comment=step.text)
            status = step.to
        elif step.action == "answer":
            messages.append(RequestMessage(request_id=request_id, author=step.actor, body=step.text, created_at=step.at))
            event(RequestEvent.Kind.STATUS, step, at=step.at + ANSWER_DELAY, from_status=status, to_status=S.UNDER_REVIEW, comment=step.text)
            status = S.UNDER_REVIEW
        elif step.action in ("take", "decline_routing"):
            routing = routings[step.centre.pk]
            routing.decided_by, routing.decided_at = step.actor, step.at
            if step.action == "take":
                routing.state = CentreRouting.State.TAKEN
                event(RequestEvent.Kind.CENTRE_TOOK, step, comment=step.centre.acronym or step.centre.name)
            else:
                routing.state, routing.reason = CentreRouting.State.DECLINED, step.text
                event(RequestEvent.Kind.CENTRE_DECLINED, step, comment=f"{step.centre.acronym}: {step.text}")
        elif step.action == "assign":
            event(RequestEvent.Kind.OWNER, step, comment=step.owner.full_name or step.owner.email)
        elif step.action == "feedback":
            event(RequestEvent.Kind.FEEDBACK, step, comment=step.text)
            event(RequestEvent.Kind.STATUS, step, from_status=S.COMPLETED, to_status=S.CLOSED)
            status = S.CLOSED
    return events, list(routings.values()), messages


def _record_creation(ids):
    """One "created" history entry per request, with its links, copied by the database (see
    ``offers.demo._record_creation``)."""
    history = Request.history.model
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in history.tracked_fields)
    placeholders = ", ".join(["%s"] * len(ids))
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(history._meta.db_table)} ({columns}, history_date, history_change_reason, "  # noqa: S608
            f"history_type, history_user_id) SELECT {columns}, %s, '', '+', NULL "
            f"FROM {quote(Request._meta.db_table)} WHERE id IN ({placeholders})",
            [now, *ids],
        )
        for name in ("themes", "kinds", "conventions", "co_requesters"):
            through = getattr(Request, name).through
            target = next(f for f in through._meta.fields if f.is_relation and f.related_model is not Request)
            table = f"{history._meta.db_table}_{name}"
            cursor.execute(
                f"INSERT INTO {quote(table)} (id, history_id, request_id, {quote(target.column)}) "  # noqa: S608
                f"SELECT t.id, h.history_id, t.request_id, t.{quote(target.column)} "
                f"FROM {quote(through._meta.db_table)} t JOIN {quote(history._meta.db_table)} h "
                f"ON h.id = t.request_id AND h.history_type = '+' WHERE t.request_id IN ({placeholders})",
                ids,
            )


def _in_bulk(plans, ctx):
    requests = []
    for plan in plans:
        outcome = _outcome(plan, ctx)
        filer = plan.steps[0].actor
        fields = {key: value for key, value in plan.data.items() if key not in ("themes", "kinds", "conventions")}
        requests.append(Request(
            country=plan.country, title=plan.title, filed_by=filer, source_document=plan.source_document,
            submitted_at=plan.steps[0].at, need=plan.need, **fields,
            **{name: getattr(outcome, name) for name in (
                "status", "status_changed_at", "due_at", "acknowledged_at", "ended_at", "decision_reason", "owner",
                "centre", "rating", "need_met", "feedback", "feedback_at", "lock_version",
            )},
        ))
    Request.objects.bulk_create(requests, batch_size=BATCH)
    links = {name: getattr(Request, name).through for name in ("themes", "kinds", "conventions", "co_requesters")}
    columns = {"themes": "theme_id", "kinds": "kindofhelp_id", "conventions": "convention_id", "co_requesters": "country_id"}
    for name, through in links.items():
        rows = []
        for plan, request in zip(plans, requests, strict=True):
            values = plan.co_requesters if name == "co_requesters" else plan.data[name]
            rows += [through(request_id=request.pk, **{columns[name]: value.pk}) for value in values]
        through.objects.bulk_create(rows, batch_size=BATCH)
    events, routings, messages = [], [], []
    for plan, request in zip(plans, requests, strict=True):
        more = _rows(plan, request.pk, ctx.rfp.get(plan.country.regional_group_id), ctx.centres.get(plan.country.pk, []))
        events += more[0]
        routings += more[1]
        messages += more[2]
    RequestEvent.objects.bulk_create(events, batch_size=BATCH)
    CentreRouting.objects.bulk_create(routings, batch_size=BATCH)
    RequestMessage.objects.bulk_create(messages, batch_size=BATCH)
    ids = [request.pk for request in requests]
    for start in range(0, len(ids), BATCH):
        _record_creation(ids[start:start + BATCH])
    # The Party's feedback meets (or partly meets) the need the request answers.
    for request in requests:
        if request.need_id and request.need_met in ("met", "partly"):
            status = Need.Status.MET if request.need_met == "met" else Need.Status.PARTLY_MET
            need_set_status(actor=None, need=request.need, status=status)


def seed_requests(*, scale=1, seed=2026, now=None):
    """Create the demo requests not yet there; returns how many were created."""
    # The services queue the news of each step, to be sent when the transaction commits; it is
    # marked sent before then, so the sending finds nothing to do: keep the task runner quiet.
    with quiet_tasks(), transaction.atomic():
        return _seed(scale, seed, now or timezone.now())


def _seed(scale, seed, now):
    ctx = _context(seed, now)
    if ctx is None:
        return 0
    existing = set(Request.objects.values_list("country_id", "title"))
    through_services, in_bulk = [], []
    for index in range(request_count(scale)):
        plan = _plan(index, seed, ctx)
        if plan is None or (plan.country.pk, plan.title) in existing:
            continue
        (through_services if index < REQUESTS_AT_SCALE_1 else in_bulk).append(plan)
    moments = Moments()
    for plan in through_services:
        _through_services(plan, ctx, moments)
    _set_moments(moments)
    if in_bulk:
        _in_bulk(in_bulk, ctx)
    return len(through_services) + len(in_bulk)


def demo_counts():
    return {"requests": Request.objects.count(), "request messages": RequestMessage.objects.count()}
