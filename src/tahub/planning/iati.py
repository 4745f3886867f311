"""The programme's activities as an IATI Activity Standard 2.03 XML file.

IATI (the International Aid Transparency Initiative) is how development cooperation is published
so that donors, recipients and the public can read it in one format. The Secretariat publishes
through UNEP, which hosts it: every identifier starts with ``TAHUB_IATI_REPORTING_ORG`` (UNEP's
DAC channel code by default), followed by the activity's code.

``iati_activities`` writes one ``iati-activity`` per activity, its elements in the order the 2.03
schema's sequence requires (the schema rejects any other order). What tahub knows maps as follows:

- Organisations have no IATI identifier in tahub, so a participating organisation other than the
  Secretariat is named by narrative only, never by a guessed ``ref``.
- Recipient countries come from the target Parties (ISO alpha-2); an activity without target
  Parties goes to "Developing countries, unspecified" (region 998): the UN regional groups tahub
  uses are not an IATI region vocabulary. Percentages are split evenly and always sum to 100.
- Money is never added across currencies. There is one budget per currency (the planned amounts
  of that currency's lines) and one transaction per budget line and type: an incoming commitment
  for what is secured, an expenditure for what is spent, each in the line's own currency.
- Results are the expected results of the activity's priority area that its approved reports
  give values for; the actual value is the sum of those values.
"""

from collections import defaultdict
from decimal import ROUND_DOWN, Decimal

from django.conf import settings
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone, translation
from lxml import etree

from tahub.planning.models import Activity, ActivityReport, Partner

VERSION = "2.03"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SECRETARIAT = "Secretariat of the Basel, Rotterdam and Stockholm conventions"
MULTILATERAL = "40"  # OrganisationType

# IATI codelists used here.
ROLE_FUNDING, ROLE_ACCOUNTABLE, ROLE_IMPLEMENTING = "1", "2", "4"
PARTNER_ROLES = {Partner.Role.FUNDING: ROLE_FUNDING}  # every other role implements (4)
ORGANISATION_TYPES = {  # tahub organisation type → IATI OrganisationType; others are not given
    "party_government": "10",
    "igo": "40",
    "secretariat": "40",
    "academia": "80",
    "private_sector": "70",
}
STATUSES = {
    Activity.Status.PLANNED: "1",
    Activity.Status.IN_PREPARATION: "1",
    Activity.Status.ONGOING: "2",
    Activity.Status.COMPLETED: "3",  # 4 (closed) once a final report is approved
    Activity.Status.CANCELLED: "5",
    Activity.Status.POSTPONED: "6",
}
CLOSED = "4"
SCOPES = {Activity.Level.GLOBAL: "1", Activity.Level.REGIONAL: "2", Activity.Level.SUBREGIONAL: "2"}
NATIONAL, MULTINATIONAL = "4", "3"
UNSPECIFIED_REGION = ("998", "Developing countries, unspecified")

# DAC 5 purpose codes: waste management always; policy and administrative management when the
# activity is also about laws, institutions, enforcement, coordination or reporting.
WASTE = ("14050", "Waste management/disposal")
POLICY = ("41010", "Environmental policy and administrative management")
POLICY_THEMES = {"legal", "enforcement", "coordination", "information"}

COLLABORATION = "4"  # multilateral outflows: a multilateral's own activities ("2" is inflows)
FLOW_ODA, FINANCE_GRANT, AID_TECHNICAL_ASSISTANCE = "10", "110", "D02"
BUDGET_ORIGINAL, BUDGET_INDICATIVE, BUDGET_COMMITTED = "1", "1", "2"
INCOMING_COMMITMENT, EXPENDITURE = "11", "4"
RESULT_OUTPUT, MEASURE_UNIT = "1", "1"

CENT = Decimal("0.01")


def iati_activities(activities, *, generated_at=None) -> bytes:
    """The IATI 2.03 XML document (UTF-8) of ``activities`` (a queryset or a list)."""
    generated_at = generated_at or timezone.now()
    root = etree.Element("iati-activities", {
        "version": VERSION, "generated-datetime": _datetime(generated_at),
    })
    with translation.override("en"):  # the narratives are English (xml:lang="en")
        for activity in _with_related(activities):
            root.append(_activity(activity))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _with_related(activities):
    """The activities with everything the export reads, in a fixed number of queries."""
    activities = list(activities)
    approved = ActivityReport.objects.filter(status=ActivityReport.Status.APPROVED)
    prefetch_related_objects(
        activities,
        "themes", "countries", "partners__organisation", "budget_lines__funder",
        "lead_centre__organisation", "lead_group", "lead_organisation",
        "priority_area__plan", "priority_area__results",
        Prefetch("reports", queryset=approved.prefetch_related("indicator_values"), to_attr="iati_approved_reports"),
    )
    return activities


# -- One activity, in schema order ---------------------------------------------------------------


def _activity(activity):
    lines = list(activity.budget_lines.all())
    attrs = {XML_LANG: "en", "last-updated-datetime": _datetime(activity.updated_at)}
    currencies = {line.currency for line in lines}
    if len(currencies) == 1:
        attrs["default-currency"] = currencies.pop()
    element = etree.Element("iati-activity", attrs)
    _text(element, "iati-identifier", identifier(activity))
    _narrative(element, "reporting-org", SECRETARIAT, ref=settings.TAHUB_IATI_REPORTING_ORG, type=MULTILATERAL)
    _narrative(element, "title", activity.title)
    _narrative(element, "description", activity.description, type="1")
    for role, name, attrs in _participants(activity, lines):
        _narrative(element, "participating-org", name, role=role, **attrs)
    _empty(element, "activity-status", code=_status(activity))
    _dates(element, activity)
    _empty(element, "activity-scope", code=_scope(activity))
    _recipients(element, activity)
    _sectors(element, activity)
    _empty(element, "collaboration-type", code=COLLABORATION)
    _empty(element, "default-flow-type", code=FLOW_ODA)
    _empty(element, "default-finance-type", code=FINANCE_GRANT)
    _empty(element, "default-aid-type", code=AID_TECHNICAL_ASSISTANCE, vocabulary="1")
    _budgets(element, activity, lines)
    _transactions(element, activity, lines)
    _results(element, activity)
    return element


def identifier(activity):
    return f"{settings.TAHUB_IATI_REPORTING_ORG}-{activity.code}"


def _participants(activity, lines):
    """(role, name, attributes) of each organisation taking part, each role once per name."""
    found = []
    for partner in activity.partners.all():
        if partner.role == Partner.Role.FUNDING:
            found.append((ROLE_FUNDING, partner.organisation.name, _org_type(partner.organisation)))
    for line in lines:
        if line.funder is not None:
            found.append((ROLE_FUNDING, line.funder.name, _org_type(line.funder)))
    secretariat = {"ref": settings.TAHUB_IATI_REPORTING_ORG, "type": MULTILATERAL}
    found.append((ROLE_ACCOUNTABLE, SECRETARIAT, secretariat))
    found.append(_lead(activity, secretariat))
    for partner in activity.partners.all():
        if partner.role != Partner.Role.FUNDING:
            role = PARTNER_ROLES.get(partner.role, ROLE_IMPLEMENTING)
            found.append((role, partner.organisation.name, _org_type(partner.organisation)))
    seen, unique = set(), []
    for role, name, attrs in found:
        if (role, name) not in seen:
            seen.add((role, name))
            unique.append((role, name, attrs))
    return unique


def _lead(activity, secretariat):
    if activity.lead == Activity.Lead.CENTRE and activity.lead_centre is not None:
        organisation = getattr(activity.lead_centre, "organisation", None)  # the reverse one-to-one may be missing
        if organisation is not None:
            return ROLE_IMPLEMENTING, organisation.name, _org_type(organisation)
        return ROLE_IMPLEMENTING, activity.lead_centre.name, {}
    if activity.lead == Activity.Lead.PARTNER and activity.lead_organisation is not None:
        return ROLE_IMPLEMENTING, activity.lead_organisation.name, _org_type(activity.lead_organisation)
    if activity.lead == Activity.Lead.SECRETARIAT:
        return ROLE_IMPLEMENTING, SECRETARIAT, secretariat
    return ROLE_IMPLEMENTING, str(activity.lead_label), {}


def _org_type(organisation):
    code = ORGANISATION_TYPES.get(organisation.type)
    return {"type": code} if code else {}


def _status(activity):
    if activity.status == Activity.Status.COMPLETED and any(r.final for r in activity.iati_approved_reports):
        return CLOSED
    return STATUSES[activity.status]


def _dates(element, activity):
    known = (("1", activity.planned_start), ("2", activity.actual_start),
             ("3", activity.planned_end), ("4", activity.actual_end))
    for kind, day in known:
        if day is not None:
            _empty(element, "activity-date", type=kind, **{"iso-date": day.isoformat()})


def _scope(activity):
    if activity.level in SCOPES:
        return SCOPES[activity.level]
    return NATIONAL if len(activity.countries.all()) == 1 else MULTINATIONAL


def _recipients(element, activity):
    codes = sorted({country.iso2.upper() for country in activity.countries.all() if country.iso2})
    if not codes:
        code, name = UNSPECIFIED_REGION
        _narrative(element, "recipient-region", name, code=code, vocabulary="1", percentage=str(split_evenly(1)[0]))
        return
    for code, share in zip(codes, split_evenly(len(codes)), strict=True):
        _empty(element, "recipient-country", code=code, percentage=str(share))


def _sectors(element, activity):
    sectors = [WASTE]
    if any(theme.code.split(".")[0] in POLICY_THEMES for theme in activity.themes.all()):
        sectors.append(POLICY)
    for (code, name), share in zip(sectors, split_evenly(len(sectors)), strict=True):
        _narrative(element, "sector", name, vocabulary="1", code=code, percentage=str(share))


def split_evenly(count):
    """``count`` percentages with two decimals summing to exactly 100; the last takes the rest."""
    share = (Decimal(100) / count).quantize(CENT, rounding=ROUND_DOWN)
    return [share] * (count - 1) + [Decimal(100) - share * (count - 1)]


# -- Money, one currency at a time ---------------------------------------------------------------


def _budgets(element, activity, lines):
    planned, secured = defaultdict(Decimal), defaultdict(Decimal)
    for line in lines:
        planned[line.currency] += line.planned
        secured[line.currency] += line.secured
    for currency in sorted(planned):
        if planned[currency] <= 0:
            continue
        status = BUDGET_COMMITTED if secured[currency] >= planned[currency] else BUDGET_INDICATIVE
        budget = _empty(element, "budget", type=BUDGET_ORIGINAL, status=status)
        _empty(budget, "period-start", **{"iso-date": activity.planned_start.isoformat()})
        _empty(budget, "period-end", **{"iso-date": activity.planned_end.isoformat()})
        _value(budget, planned[currency], currency, activity.planned_start)


def _transactions(element, activity, lines):
    """An incoming commitment per line with secured funds (dated the planned start: tahub does not
    record when funds were secured) and an expenditure per line with spending."""
    spent_on = activity.actual_end or activity.actual_start or activity.planned_end
    for line in lines:
        if line.secured > 0:
            transaction = _transaction(element, INCOMING_COMMITMENT, activity.planned_start, line.secured, line.currency)
            _narrative(transaction, "provider-org", line.source)
        if line.spent > 0:
            transaction = _transaction(element, EXPENDITURE, spent_on, line.spent, line.currency)
            _narrative(transaction, "description", line.source)


def _transaction(element, kind, day, amount, currency):
    transaction = _empty(element, "transaction")
    _empty(transaction, "transaction-type", code=kind)
    _empty(transaction, "transaction-date", **{"iso-date": day.isoformat()})
    _value(transaction, amount, currency, day)
    return transaction


def _value(parent, amount, currency, day):
    _text(parent, "value", _amount(amount), currency=currency, **{"value-date": day.isoformat()})


# -- Results ----------------------------------------------------------------------------------------


def _results(element, activity):
    reached = defaultdict(Decimal)
    for report in activity.iati_approved_reports:
        for value in report.indicator_values.all():
            reached[value.result_id] += value.value
    if activity.priority_area is None:
        return
    for result in activity.priority_area.results.all():
        if result.pk in reached:
            _result(element, activity, result, reached[result.pk])


def _result(element, activity, result, actual):
    node = _empty(element, "result", type=RESULT_OUTPUT)
    _narrative(node, "title", result.text)
    indicator = _empty(node, "indicator", measure=MEASURE_UNIT)
    _narrative(indicator, "title", result.indicator)
    _narrative(indicator, "description", result.unit)
    _empty(indicator, "baseline", year=str(activity.priority_area.plan.start_year), value=_amount(result.baseline))
    period = _empty(indicator, "period")
    _empty(period, "period-start", **{"iso-date": activity.start.isoformat()})
    _empty(period, "period-end", **{"iso-date": activity.end.isoformat()})
    _empty(period, "target", value=_amount(result.target))
    _empty(period, "actual", value=_amount(actual))


# -- Writing elements -------------------------------------------------------------------------------


def _empty(parent, tag, **attrs):
    return etree.SubElement(parent, tag, attrs)


def _text(parent, tag, text, **attrs):
    child = _empty(parent, tag, **attrs)
    child.text = text
    return child


def _narrative(parent, tag, text, **attrs):
    """``<tag ...><narrative>text</narrative></tag>``."""
    child = _empty(parent, tag, **attrs)
    _text(child, "narrative", text)
    return child


def _amount(amount):
    return str(Decimal(amount).quantize(CENT))


def _datetime(moment):
    return moment.replace(microsecond=0).isoformat()
