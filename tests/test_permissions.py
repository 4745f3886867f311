"""Every route, HTML and API, against every persona: anonymous, wrong role, other Party, right role.

The meta-tests at the bottom fail when a URL pattern or an API operation has no row here.
"""

import json
from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tahub.accounts.services import api_token_create

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "no_role",
    "focal_kenya",
    "contributor_kenya",
    "focal_peru",
    "centre_senegal",
    "rfp_africa",
    "provider_unitar",
    "secretariat",
]
SIGNED_IN = [name for name in PERSONAS if name != "anonymous"]
USES_API = ["focal_kenya", "focal_peru", "centre_senegal", "rfp_africa", "provider_unitar", "secretariat"]


def everyone(status):
    return dict.fromkeys(PERSONAS, status)


def signed_in_only(status=200):
    return {"anonymous": 302, **dict.fromkeys(SIGNED_IN, status)}


def only(allowed, status, *, denied, anonymous):
    return {
        name: anonymous if name == "anonymous" else status if name in allowed else denied for name in PERSONAS
    }


@dataclass
class Route:
    expected: dict
    method: str = "get"
    args: tuple = ()
    data: dict = field(default_factory=dict)


# Token of Kenya's focal point: others must not see or revoke it.
TOKEN = "token-of-focal-kenya"
# An open cycle inviting Kenya, Peru and Senegal, and Kenya's draft response to it.
CYCLE = "open-cycle"
INVITATION = "kenya-invitation"
RESPONSE = "kenya-response"
# A need of Kenya recorded from a meeting: its readers are those of Kenya's response.
NEED = "kenya-need"
VERSION = "open-cycle-questionnaire-version"
# A draft copy of that version: only the Secretariat knows it exists.
DRAFT_VERSION = "draft-questionnaire-version"
# A published public offer of UNITAR, and UNITAR as its provider.
PUBLIC_OFFER = "public-offer"
OFFER_PROVIDER = "public-offer-provider"
# A draft offer of UNITAR: only UNITAR's people and the Secretariat know it exists.
DRAFT_OFFER = "draft-offer"
# A PDF attached to UNITAR's draft offer: downloaded only by those who see the offer.
DRAFT_ATTACHMENT = "draft-offer-attachment"
# What an offer says, as an API client sends it (PUT adds the lock_version of the published offer).
OFFER_BODY = {
    "title": "Regional workshop on e-waste inventories", "description": "Three days, hands-on.",
    "modality": "in_person", "kinds": ["training.course"], "themes": ["monitoring.inventories"],
    "languages": ["en"], "eligible_developing": True,
}
# Kenya's request for assistance (submitted), its PDF, and its routing to the centre serving Kenya.
REQUEST = "kenya-request"
REQUEST_ATTACHMENT = "kenya-request-attachment"
ROUTING = "kenya-request-routing"
# A published, accepted request of Peru: in the public clearing-house.
PUBLISHED_REQUEST = "published-request"
# UNITAR's invitation to the open cycle's available-assistance survey.
SURVEY_INVITATION = "unitar-survey-invitation"
KENYA_READERS = ["focal_kenya", "contributor_kenya", "rfp_africa", "secretariat"]
# A suggested match of Kenya's need with the public offer (internal: the Secretariat and Africa's
# regional focal point see it); a conveyed match of Kenya's request with it (both sides see it); a
# confirmed match of Peru's published request with it, ready to convey; the unsubscribe token of an alert.
SUGGESTION = "kenya-need-suggestion"
CONVEYED = "kenya-request-conveyed-match"
CONFIRMED = "peru-request-confirmed-match"
ALERT_TOKEN = "kenya-alert-token"
CONVEYED_READERS = ["focal_kenya", "contributor_kenya", "rfp_africa", "provider_unitar", "secretariat"]
# A summary DOCX the Secretariat had made of the open cycle: only its requester sees it.
RENDERING = "secretariat-rendering"
# The open cycle is not public: its summary is for people with a role (others: 404, as for the cycle).
MEMBERS = {**dict.fromkeys(PERSONAS, 200), "anonymous": 404, "no_role": 404}
PARTY_REPORT_READERS = ["focal_kenya", "secretariat"]
# Planning (tests/planning): a COP decision, the plan it adopted, a published programme under the plan with an
# activity led by the Senegal centre, a draft and a submitted report on that activity, and a draft programme.
# Drafts are seen by those who plan (the Secretariat, regional focal points, centre staff); reports in the
# making by the activity's lead and the Secretariat, who alone approves or returns them.
DECISION = "cop-decision"
PLAN = "adopted-plan"
PROGRAMME = "published-programme"
DRAFT_PROGRAMME = "draft-programme"
ACTIVITY = "senegal-activity"
DRAFT_REPORT = "senegal-draft-report"
SUBMITTED_REPORT = "senegal-submitted-report"
PLANNERS = ["centre_senegal", "rfp_africa", "secretariat"]
SENEGAL_LEADS = ["centre_senegal", "secretariat"]
AREA = "plan-priority-area"
EVALUATION = "kenya-evaluation"
# UNITAR as the Senegal activity's implementing partner, and the activity's one budget line.
PARTNER = "senegal-activity-partner"
BUDGET_LINE = "senegal-activity-budget-line"
# A new activity of the Senegal centre, as an API client sends it.
ACTIVITY_BODY = {
    "title": "National workshop on e-waste", "description": "Two days for customs officers.", "type": "workshop",
    "level": "national", "themes": ["waste_management.ewaste"], "countries": ["SEN"], "lead": "centre",
    "lead_centre": "senegal", "planned_start": "2026-09-01", "planned_end": "2026-09-02",
}


def readers(names, status, *, anonymous=302, others=404):
    return {name: anonymous if name == "anonymous" else status if name in names else others for name in PERSONAS}


def kenya_request(status):
    """Kenya's readers get ``status``; others 404 (existence not disclosed); anonymous to sign-in."""
    return {
        name: 302 if name == "anonymous" else status if name in KENYA_READERS else 404 for name in PERSONAS
    }


def kenya_response(status):
    """Kenya's response: its readers get ``status``, other people 404 (its existence is not disclosed)."""
    return {name: 302 if name == "anonymous" else status if name in KENYA_READERS else 404 for name in PERSONAS}


def kenya_response_api(status):
    """Kenya's response through the API: as on the pages, but an anonymous caller gets 401."""
    return {**kenya_response(status), "anonymous": 401}


HTML_ROUTES = {
    "portal:home": Route(everyone(200)),
    "portal:party_list": Route(everyone(200)),
    "portal:party_detail": Route(everyone(200), args=("KEN",)),
    "portal:centre_list": Route(everyone(200)),
    "portal:centre_detail": Route(everyone(200), args=("senegal",)),
    "portal:theme_list": Route(everyone(200)),
    "accounts:login": Route({"anonymous": 200, **dict.fromkeys(SIGNED_IN, 302)}),
    "accounts:logout": Route(everyone(302), method="post"),
    "accounts:profile": Route(signed_in_only()),
    "accounts:password_change": Route(signed_in_only()),
    "accounts:password_change_done": Route(signed_in_only()),
    "accounts:password_reset": Route(everyone(200)),
    "accounts:password_reset_done": Route(everyone(200)),
    "accounts:password_reset_confirm": Route(everyone(200), args=("MQ", "set-password")),
    "accounts:password_reset_complete": Route(everyone(200)),
    "accounts:token_list": Route(signed_in_only()),
    "accounts:token_revoke": Route(
        only(["focal_kenya"], 302, denied=404, anonymous=302), method="post", args=(TOKEN,)
    ),
    "accounts:people_list": Route(signed_in_only()),
    "set_language": Route(everyone(302), method="post", data={"language": "fr", "next": "/"}),
    "healthz": Route(everyone(200)),
    "admin:index": Route(only(["secretariat"], 200, denied=302, anonymous=302)),
    "assessments:cycle_list": Route(signed_in_only()),
    "assessments:cycle_create": Route(only(["secretariat"], 200, denied=403, anonymous=302)),
    "assessments:cycle_detail": Route({**signed_in_only(), "no_role": 404}, args=(CYCLE,)),
    "assessments:cycle_action": Route(
        {**only(["secretariat"], 302, denied=403, anonymous=302), "no_role": 404}, method="post", args=(CYCLE,),
        data={"action": "close"},
    ),
    "assessments:invitation_extend": Route(
        {**only(["secretariat"], 302, denied=403, anonymous=302), "no_role": 404}, method="post",
        args=(CYCLE, INVITATION), data={"deadline": "2027-01-31"},
    ),
    "assessments:response_open": Route(
        {**only(["focal_kenya", "contributor_kenya"], 302, denied=403, anonymous=302), "no_role": 404},
        method="post", args=(CYCLE, "KEN"),
    ),
    "assessments:response_detail": Route(kenya_response(200), args=(RESPONSE,)),
    "assessments:response_section": Route(kenya_response(200), args=(RESPONSE, "capacity")),
    "assessments:response_print": Route(kenya_response(200), args=(RESPONSE,)),
    "assessments:response_history": Route(kenya_response(200), args=(RESPONSE,)),
    # Download; the upload (POST, same route) is tested persona by persona in tests/assessments/test_workbook.py.
    "assessments:response_workbook": Route(kenya_response(200), args=(RESPONSE,)),
    "assessments:response_submit": Route(
        {**kenya_response(403), "focal_kenya": 302}, method="post", args=(RESPONSE,), data={"lock_version": "0"}
    ),
    "assessments:response_review": Route(
        {**kenya_response(403), "secretariat": 302}, method="post", args=(RESPONSE,), data={"decision": "accept"}
    ),
    "assessments:need_list": Route(signed_in_only()),
    "assessments:need_detail": Route(kenya_response(200), args=(NEED,)),
    # Kenya's readers see the need but only the Secretariat changes it; others do not learn it exists.
    "assessments:need_status": Route(
        {**kenya_response(403), "secretariat": 302}, method="post", args=(NEED,), data={"status": "met"}
    ),
    "assessments:need_record": Route(only(["secretariat"], 200, denied=403, anonymous=302)),
    # Questionnaire definitions (tests/assessments/test_questionnaire_pages.py): everyone signed in sees the
    # published versions, only the Secretariat drafts and changes them. Posting no file is refused with a message (302).
    "assessments:questionnaire_list": Route(signed_in_only()),
    "assessments:questionnaire_xlsform": Route(signed_in_only(), args=(VERSION,)),
    "assessments:questionnaire_import": Route(only(["secretariat"], 302, denied=403, anonymous=302), method="post"),
    "assessments:questionnaire_replace": Route(
        only(["secretariat"], 302, denied=404, anonymous=302), method="post", args=(DRAFT_VERSION,)
    ),
    "assessments:questionnaire_action": Route(
        only(["secretariat"], 302, denied=404, anonymous=302), method="post", args=(DRAFT_VERSION,),
        data={"action": "publish"},
    ),
    # Only Kenya's focal point shares out the drafting of Kenya's answers.
    "assessments:response_contributors": Route(
        {**kenya_response(403), "focal_kenya": 302}, method="post", args=(RESPONSE,),
        data={"full_name": "Wanjiru Kenya", "email": "wanjiru@example.org", "preferred_language": "en"},
    ),
    # The public catalogue: open to all; what each reader sees in it is tested in tests/offers/test_catalogue_pages.py.
    "offers:catalogue": Route(everyone(200)),
    "offers:catalogue_download": Route(everyone(200), args=("csv",)),
    "offers:offer_detail": Route(everyone(200), args=(PUBLIC_OFFER,)),
    "offers:provider_list": Route(everyone(200)),
    "offers:provider_detail": Route(everyone(200), args=(OFFER_PROVIDER,)),
    # Managing offers (tests/offers/test_manage_pages.py): UNITAR's provider manages UNITAR's offers, the
    # Secretariat all. Others may see the public offer but not change it (403), and do not learn that the
    # draft exists (404). Attaching nothing re-shows the page with the error (200).
    "offers:my_offers": Route(only(["provider_unitar", "secretariat"], 200, denied=403, anonymous=302)),
    "offers:offer_create": Route(only(["provider_unitar", "secretariat"], 200, denied=403, anonymous=302)),
    "offers:offer_edit": Route(
        only(["provider_unitar", "secretariat"], 200, denied=403, anonymous=302), args=(PUBLIC_OFFER,)
    ),
    "offers:offer_action": Route(
        only(["provider_unitar", "secretariat"], 302, denied=404, anonymous=302), method="post",
        args=(DRAFT_OFFER,), data={"action": "publish"},
    ),
    "offers:offer_attach": Route(
        only(["provider_unitar", "secretariat"], 200, denied=403, anonymous=302), method="post",
        args=(PUBLIC_OFFER,),
    ),
    "offers:attachment_download": Route(
        only(["provider_unitar", "secretariat"], 200, denied=404, anonymous=404), args=(DRAFT_ATTACHMENT,)
    ),
    # Requests (tests/assistance): Kenya's request is read by Kenya, its region and the Secretariat; nobody else
    # learns it exists (404), not even a centre that does not serve Kenya. Who may act on it is the policy's.
    "assistance:request_list": Route(signed_in_only()),
    "assistance:my_work": Route(signed_in_only()),
    "assistance:request_create": Route(
        only(["focal_kenya", "focal_peru", "centre_senegal", "secretariat"], 200, denied=403, anonymous=302)
    ),
    "assistance:dashboard": Route(only(["secretariat"], 200, denied=403, anonymous=302)),
    "assistance:dashboard_download": Route(only(["secretariat"], 200, denied=403, anonymous=302), args=("csv",)),
    "assistance:published_list": Route(everyone(200)),
    "assistance:published_detail": Route(everyone(200), args=(PUBLISHED_REQUEST,)),
    "assistance:request_detail": Route(kenya_request(200), args=(REQUEST,)),
    "assistance:request_move": Route(
        {**kenya_request(403), "rfp_africa": 302, "secretariat": 302}, method="post", args=(REQUEST,),
        data={"to": "under_review", "lock_version": 0},
    ),
    "assistance:request_message": Route(
        {**kenya_request(302), "contributor_kenya": 403}, method="post", args=(REQUEST,), data={"body": "Hello"}
    ),
    "assistance:request_answer": Route(kenya_request(403), method="post", args=(REQUEST,), data={"body": "x"}),
    "assistance:request_feedback": Route(kenya_request(403), method="post", args=(REQUEST,), data={"rating": "5"}),
    "assistance:request_assign": Route(
        {**kenya_request(403), "secretariat": 302}, method="post", args=(REQUEST,), data={"owner": ""}
    ),
    "assistance:request_propose_centre": Route(
        {**kenya_request(403), "rfp_africa": 302, "secretariat": 302}, method="post", args=(REQUEST,),
        data={"centre": ""},
    ),
    "assistance:request_link_need": Route(
        {**kenya_request(302), "contributor_kenya": 403}, method="post", args=(REQUEST,), data={"need": ""}
    ),
    "assistance:routing_take": Route(kenya_request(403), method="post", args=(REQUEST, ROUTING)),
    "assistance:routing_decline": Route(
        kenya_request(403), method="post", args=(REQUEST, ROUTING), data={"reason": "No expert"}
    ),
    "assistance:attachment_download": Route(kenya_request(200), args=(REQUEST_ATTACHMENT,)),
    "matching:match_list": Route(signed_in_only(200)),
    "matching:match_detail": Route(readers(CONVEYED_READERS, 200), args=(CONVEYED,)),
    # Only the Secretariat decides on a need's suggestions; Africa's regional focal point sees them.
    "matching:match_action": Route(
        {**readers(["rfp_africa"], 403), "secretariat": 302}, method="post", args=(SUGGESTION,), data={"action": "confirm"}
    ),
    "matching:match_add": Route(
        {**readers(KENYA_READERS, 403), "secretariat": 302}, method="post", args=("need", NEED),
        data={"offer": PUBLIC_OFFER},
    ),
    "matching:match_answer": Route(
        {**readers(CONVEYED_READERS, 403), "focal_kenya": 302, "secretariat": 302}, method="post", args=(CONVEYED,),
        data={"side": "party", "answer": "pursue"},
    ),
    "matching:alerts": Route(signed_in_only(200)),
    # The link in each alert e-mail works without signing in.
    "matching:alert_unsubscribe": Route(everyone(200), args=(ALERT_TOKEN,)),
    # Reports (tests/reports): summaries follow their cycle; the records behind a figure of Parties'
    # answers are the Secretariat's (tests/reports/test_pages.py); a Party report is its focal points'.
    "reports:index": Route(everyone(200)),
    "reports:open_data": Route(everyone(200)),
    "reports:summary": Route(MEMBERS, args=(CYCLE,)),
    "reports:summary_download": Route(MEMBERS, args=(CYCLE, "xlsx")),
    "reports:table_csv": Route(MEMBERS, args=(CYCLE, "participation")),
    "reports:table_json": Route(MEMBERS, args=(CYCLE, "participation_by_group")),
    "reports:chart": Route(MEMBERS, args=(CYCLE, "participation_by_group")),
    "reports:figure_records": Route(MEMBERS, args=(CYCLE, "participation", "all", "invited")),
    "reports:render": Route(
        {**dict.fromkeys(PERSONAS, 302), "no_role": 404}, method="post", args=(CYCLE,),
        data={"format": "docx", "language": "fr"},
    ),
    "reports:rendering": Route(readers(["secretariat"], 200), args=(RENDERING,)),
    "reports:rendering_download": Route(readers(["secretariat"], 200), args=(RENDERING,)),
    "reports:party": Route(readers(PARTY_REPORT_READERS, 200), args=("KEN",)),
    "reports:party_download": Route(readers(PARTY_REPORT_READERS, 200), args=("KEN", "xlsx")),
    # Planning (tests/planning): decisions, adopted plans and published programmes are public; the
    # Secretariat manages them; centre staff create and change their centre's activities and report on
    # them; only the Secretariat approves; an evaluation is its Party's focal points'.
    "planning:index": Route(everyone(200)),
    "planning:decisions": Route(everyone(200)),
    "planning:decision_detail": Route(everyone(200), args=(DECISION,)),
    "planning:decision_create": Route(only(["secretariat"], 200, denied=403, anonymous=302)),
    "planning:paragraph_create": Route(
        only(["secretariat"], 302, denied=403, anonymous=302), method="post", args=(DECISION,),
        data={"number": "9", "verb": "requests", "addressee": "secretariat", "text": "Requests a report."},
    ),
    "planning:plans": Route(everyone(200)),
    "planning:plan_create": Route(only(["secretariat"], 200, denied=403, anonymous=302)),
    "planning:plan_detail": Route(everyone(200), args=(PLAN,)),
    "planning:area_create": Route(only(["secretariat"], 200, denied=403, anonymous=302), args=(PLAN,)),
    "planning:plan_action": Route(only(["secretariat"], 302, denied=403, anonymous=302), method="post", args=(PLAN, "submit")),
    "planning:result_create": Route(
        only(["secretariat"], 302, denied=403, anonymous=302), method="post", args=(AREA,),
        data={"text": "Officers trained", "indicator": "Officers trained", "unit": "people", "baseline": "0", "target": "50"},
    ),
    "planning:programmes": Route(everyone(200)),
    "planning:programme_create": Route(only(["secretariat"], 200, denied=403, anonymous=302)),
    "planning:programme_detail": Route(everyone(200), args=(PROGRAMME,)),
    "planning:programme_publish": Route(
        {**readers(PLANNERS, 403), "secretariat": 302}, method="post", args=(DRAFT_PROGRAMME,),
    ),
    "planning:timeline": Route(everyone(200), args=(PROGRAMME,)),
    "planning:report": Route(everyone(200), args=(PROGRAMME,)),
    "planning:report_download": Route(everyone(200), args=(PROGRAMME, "xlsx")),
    "planning:iati": Route(everyone(200), args=(PROGRAMME,)),
    "planning:activity_create": Route(only(SENEGAL_LEADS, 200, denied=403, anonymous=302), args=(PROGRAMME,)),
    "planning:activity_detail": Route(everyone(200), args=(ACTIVITY,)),
    "planning:activity_edit": Route(only(SENEGAL_LEADS, 200, denied=403, anonymous=302), args=(ACTIVITY,)),
    "planning:activity_status": Route(
        only(SENEGAL_LEADS, 302, denied=403, anonymous=302), method="post", args=(ACTIVITY,), data={"status": "in_preparation"},
    ),
    "planning:activity_budget": Route(
        only(SENEGAL_LEADS, 302, denied=403, anonymous=302), method="post", args=(ACTIVITY,),
        data={"source": "Host", "currency": "EUR", "planned": "10", "secured": "0", "spent": "0"},
    ),
    "planning:budget_line_remove": Route(
        only(SENEGAL_LEADS, 302, denied=403, anonymous=302), method="post", args=(ACTIVITY, BUDGET_LINE),
    ),
    "planning:partner_add": Route(
        only(SENEGAL_LEADS, 302, denied=403, anonymous=302), method="post", args=(ACTIVITY,),
        data={"organisation": OFFER_PROVIDER, "role": "funding"},
    ),
    "planning:partner_remove": Route(
        only(SENEGAL_LEADS, 302, denied=403, anonymous=302), method="post", args=(ACTIVITY, PARTNER),
    ),
    "planning:report_create": Route(only(SENEGAL_LEADS, 200, denied=403, anonymous=302), args=(ACTIVITY,)),
    "planning:report_detail": Route(readers(SENEGAL_LEADS, 200, anonymous=404), args=(DRAFT_REPORT,)),
    "planning:report_edit": Route(readers(SENEGAL_LEADS, 200), args=(DRAFT_REPORT,)),
    "planning:report_review": Route(
        {**readers(SENEGAL_LEADS, 403), "secretariat": 302}, method="post", args=(SUBMITTED_REPORT, "approve"),
    ),
    "planning:evaluation": Route(readers(["focal_kenya", "secretariat"], 200), args=(EVALUATION,)),
    "planning:centre": Route(readers(["centre_senegal", "rfp_africa", "secretariat"], 200), args=("senegal",)),
    "planning:region": Route(readers(["rfp_africa", "secretariat"], 200), args=("AFRICA",)),
    # The open cycle's available-assistance survey asks UNITAR: its people answer (the Secretariat may
    # record an answer for it); nobody else learns of the invitation.
    "offers:survey_answer": Route(
        only(["provider_unitar", "secretariat"], 200, denied=404, anonymous=302), args=(SURVEY_INVITATION,)
    ),
}

API_ROUTES = {
    ("get", "/api/v1/countries"): Route(everyone(200)),
    ("get", "/api/v1/countries/{iso3}"): Route(everyone(200), args=("KEN",)),
    ("get", "/api/v1/regional-groups"): Route(everyone(200)),
    ("get", "/api/v1/conventions"): Route(everyone(200)),
    ("get", "/api/v1/centres"): Route(everyone(200)),
    ("get", "/api/v1/centres/{slug}"): Route(everyone(200), args=("senegal",)),
    ("get", "/api/v1/themes"): Route(everyone(200)),
    ("get", "/api/v1/kinds-of-help"): Route(everyone(200)),
    ("get", "/api/v1/me"): Route({"anonymous": 401, **dict.fromkeys(SIGNED_IN, 200)}),
    ("get", "/api/v1/tokens"): Route({"anonymous": 401, **dict.fromkeys(SIGNED_IN, 200)}),
    ("post", "/api/v1/tokens"): Route(only(USES_API, 201, denied=403, anonymous=401), data={"name": "script"}),
    ("delete", "/api/v1/tokens/{token_id}"): Route(
        only(["focal_kenya"], 204, denied=404, anonymous=401), args=(TOKEN,)
    ),
    ("get", "/api/v1/questionnaires/{version_id}"): Route(everyone(200), args=(VERSION,)),
    ("get", "/api/v1/cycles"): Route(everyone(200)),
    # An open cycle is not public: anonymous callers and people without a role do not see it.
    ("get", "/api/v1/cycles/{cycle_id}"): Route({**everyone(200), "anonymous": 404, "no_role": 404}, args=(CYCLE,)),
    ("post", "/api/v1/cycles/{cycle_id}/responses"): Route(
        {**only(["focal_peru"], 201, denied=403, anonymous=401), "no_role": 404}, args=(CYCLE,),
        data={"country": "PER"},
    ),
    ("get", "/api/v1/responses"): Route({"anonymous": 401, **dict.fromkeys(SIGNED_IN, 200)}),
    ("get", "/api/v1/responses/{response_id}"): Route(kenya_response_api(200), args=(RESPONSE,)),
    ("patch", "/api/v1/responses/{response_id}"): Route(
        {**kenya_response_api(403), "focal_kenya": 200, "contributor_kenya": 200}, args=(RESPONSE,),
        data={"lock_version": 0, "answers": {"has_law": "yes"}},
    ),
    # Kenya's focal point may submit, but the empty draft is refused as incomplete (422).
    ("post", "/api/v1/responses/{response_id}/submit"): Route(
        {**kenya_response_api(403), "focal_kenya": 422}, args=(RESPONSE,), data={"lock_version": 0}
    ),
    ("get", "/api/v1/needs"): Route({"anonymous": 401, **dict.fromkeys(SIGNED_IN, 200)}),
    # Offers: everyone reads what they may see (tests/offers/test_api.py tests each audience); UNITAR's
    # provider changes UNITAR's offers and the Secretariat any; others may read the public offer, not change it.
    ("get", "/api/v1/offers"): Route(everyone(200)),
    ("get", "/api/v1/offers/{offer_id}"): Route(everyone(200), args=(PUBLIC_OFFER,)),
    ("post", "/api/v1/offers"): Route(
        only(["provider_unitar", "secretariat"], 201, denied=403, anonymous=401),
        data={**OFFER_BODY, "provider": OFFER_PROVIDER},
    ),
    ("put", "/api/v1/offers/{offer_id}"): Route(
        only(["provider_unitar", "secretariat"], 200, denied=403, anonymous=401), args=(PUBLIC_OFFER,),
        data={**OFFER_BODY, "lock_version": 1},
    ),
    ("post", "/api/v1/offers/{offer_id}/publish"): Route(
        only(["provider_unitar", "secretariat"], 200, denied=404, anonymous=401), args=(DRAFT_OFFER,)
    ),
    ("post", "/api/v1/offers/{offer_id}/close"): Route(
        only(["provider_unitar", "secretariat"], 200, denied=403, anonymous=401), args=(PUBLIC_OFFER,)
    ),
    ("post", "/api/v1/offers/{offer_id}/withdraw"): Route(
        only(["provider_unitar", "secretariat"], 200, denied=403, anonymous=401), args=(PUBLIC_OFFER,),
        data={"reason": "The funding ended."},
    ),
    ("get", "/api/v1/providers"): Route(everyone(200)),
    ("get", "/api/v1/providers/{provider_id}"): Route(everyone(200), args=(OFFER_PROVIDER,)),
    # Requests (tests/assistance/test_api.py): as on the pages, but an anonymous caller gets 401. Kenya's focal
    # point files for Kenya and the Secretariat for any Party; others who may file (Peru, a centre not serving
    # Kenya) are refused for Kenya.
    ("get", "/api/v1/requests"): Route({"anonymous": 401, **dict.fromkeys(SIGNED_IN, 200)}),
    ("post", "/api/v1/requests"): Route(
        only(["focal_kenya", "secretariat"], 201, denied=403, anonymous=401),
        data={"country": "KEN", "title": "Customs training", "description": "Spotting illegal traffic.",
              "themes": ["enforcement.customs"], "kinds": ["training.course"]},
    ),
    ("get", "/api/v1/requests/{request_id}"): Route({**kenya_request(200), "anonymous": 401}, args=(REQUEST,)),
    ("get", "/api/v1/requests/{request_id}/messages"): Route(
        {**kenya_request(200), "anonymous": 401}, args=(REQUEST,)
    ),
    ("post", "/api/v1/requests/{request_id}/messages"): Route(
        {**kenya_request(201), "contributor_kenya": 403, "anonymous": 401}, args=(REQUEST,), data={"body": "Hello"}
    ),
    # Only the region's focal point and the Secretariat start the review; Kenya's people may not.
    ("post", "/api/v1/requests/{request_id}/moves"): Route(
        {**kenya_request(403), "rfp_africa": 200, "secretariat": 200, "anonymous": 401}, args=(REQUEST,),
        data={"to": "under_review", "lock_version": 0},
    ),
    # Only Kenya's focal point answers, but no question waits on the submitted request (422).
    ("post", "/api/v1/requests/{request_id}/answer"): Route(
        {**kenya_request(403), "focal_kenya": 422, "anonymous": 401}, args=(REQUEST,),
        data={"body": "The Ministry drafted it.", "lock_version": 0},
    ),
    # Feedback waits for the delivery to be completed: nobody may give it on the submitted request.
    ("post", "/api/v1/requests/{request_id}/feedback"): Route(
        {**kenya_request(403), "anonymous": 401}, args=(REQUEST,), data={"rating": 5, "need_met": "met"}
    ),
    ("get", "/api/v1/published-requests"): Route(everyone(200)),
    ("get", "/api/v1/needs/{need_id}/suggestions"): Route(
        {**readers(KENYA_READERS, 403, anonymous=401), "secretariat": 200}, args=(NEED,)
    ),
    ("get", "/api/v1/requests/{request_id}/suggestions"): Route(
        {**readers(KENYA_READERS, 403, anonymous=401), "rfp_africa": 200, "secretariat": 200}, args=(REQUEST,)
    ),
    ("post", "/api/v1/needs/{need_id}/matches"): Route(
        {**readers(KENYA_READERS, 403, anonymous=401), "secretariat": 201}, args=(NEED,), data={"offer": PUBLIC_OFFER}
    ),
    # Kenya's request is only submitted: not matched until accepted.
    ("post", "/api/v1/requests/{request_id}/matches"): Route(
        {**readers(KENYA_READERS, 403, anonymous=401), "rfp_africa": 422, "secretariat": 422}, args=(REQUEST,),
        data={"offer": PUBLIC_OFFER},
    ),
    ("get", "/api/v1/matches"): Route({**everyone(200), "anonymous": 401}),
    ("get", "/api/v1/matches/{match_id}"): Route(readers(CONVEYED_READERS, 200, anonymous=401), args=(CONVEYED,)),
    ("post", "/api/v1/matches/{match_id}/confirm"): Route(
        {**readers(["rfp_africa"], 403, anonymous=401), "secretariat": 200}, args=(SUGGESTION,)
    ),
    ("post", "/api/v1/matches/{match_id}/dismiss"): Route(
        {**readers(["rfp_africa"], 403, anonymous=401), "secretariat": 200}, args=(SUGGESTION,),
        data={"reason": "Not what Kenya asked for"},
    ),
    ("get", "/api/v1/summaries"): Route(everyone(200)),
    ("get", "/api/v1/summaries/{cycle_id}"): Route(MEMBERS, args=(CYCLE,)),
    ("get", "/api/v1/parties/{iso3}/report"): Route(readers(PARTY_REPORT_READERS, 200, anonymous=401), args=("KEN",)),
    ("post", "/api/v1/matches/{match_id}/convey"): Route(readers(["secretariat"], 200, anonymous=401), args=(CONFIRMED,)),
    ("post", "/api/v1/matches/{match_id}/provider-answer"): Route(
        {**readers(CONVEYED_READERS, 403, anonymous=401), "provider_unitar": 200, "secretariat": 200}, args=(CONVEYED,),
        data={"answer": "interested"},
    ),
    ("post", "/api/v1/matches/{match_id}/party-answer"): Route(
        {**readers(CONVEYED_READERS, 403, anonymous=401), "focal_kenya": 200, "secretariat": 200}, args=(CONVEYED,),
        data={"answer": "pursue"},
    ),
    # Planning (tests/planning/test_api.py): decisions, submitted plans and published programmes are public;
    # the Secretariat creates and changes any activity, centre staff those their centre leads.
    ("get", "/api/v1/decisions"): Route(everyone(200)),
    ("get", "/api/v1/decisions/{decision_id}"): Route(everyone(200), args=(DECISION,)),
    ("get", "/api/v1/plans"): Route(everyone(200)),
    ("get", "/api/v1/plans/{plan_id}"): Route(everyone(200), args=(PLAN,)),
    ("get", "/api/v1/programmes"): Route(everyone(200)),
    ("get", "/api/v1/programmes/{programme_id}"): Route(readers(PLANNERS, 200, anonymous=404), args=(DRAFT_PROGRAMME,)),
    ("get", "/api/v1/activities"): Route(everyone(200)),
    ("get", "/api/v1/activities/{activity_id}"): Route(everyone(200), args=(ACTIVITY,)),
    ("post", "/api/v1/programmes/{programme_id}/activities"): Route(
        only(SENEGAL_LEADS, 201, denied=403, anonymous=401), args=(PROGRAMME,), data=ACTIVITY_BODY
    ),
    ("patch", "/api/v1/activities/{activity_id}"): Route(
        only(SENEGAL_LEADS, 200, denied=403, anonymous=401), args=(ACTIVITY,), data={"title": "Regional workshop, day two"}
    ),
    ("delete", "/api/v1/activities/{activity_id}/partners/{partner_id}"): Route(
        only(SENEGAL_LEADS, 204, denied=403, anonymous=401), args=(ACTIVITY, PARTNER)
    ),
    ("delete", "/api/v1/activities/{activity_id}/budget-lines/{line_id}"): Route(
        only(SENEGAL_LEADS, 204, denied=403, anonymous=401), args=(ACTIVITY, BUDGET_LINE)
    ),
    ("post", "/api/v1/activities/{activity_id}/status"): Route(
        only(SENEGAL_LEADS, 200, denied=403, anonymous=401), args=(ACTIVITY,), data={"status": "in_preparation"}
    ),
    ("post", "/api/v1/activities/{activity_id}/reports"): Route(
        only(SENEGAL_LEADS, 201, denied=403, anonymous=401), args=(ACTIVITY,), data={"summary": "25 officers trained."}
    ),
    # Reports in the making are not public: others do not learn they exist (404).
    ("post", "/api/v1/reports/{report_id}/submit"): Route(readers(SENEGAL_LEADS, 200, anonymous=401), args=(DRAFT_REPORT,)),
    ("post", "/api/v1/reports/{report_id}/approve"): Route(
        {**readers(SENEGAL_LEADS, 403, anonymous=401), "secretariat": 200}, args=(SUBMITTED_REPORT,)
    ),
    ("post", "/api/v1/reports/{report_id}/return"): Route(
        {**readers(SENEGAL_LEADS, 403, anonymous=401), "secretariat": 200}, args=(SUBMITTED_REPORT,),
        data={"comment": "Add the list of participants."},
    ),
}


def _resolve_args(args, objects):
    return tuple(objects[arg].pk if arg in objects else arg for arg in args)


def _resolve_data(data, objects):
    """A body naming an object by its key gets the object's id (e.g. the provider of a new offer)."""
    return {
        name: objects[value].pk if isinstance(value, str) and value in objects else value
        for name, value in data.items()
    }


def _request(client, method, url, data):
    if method == "get":
        return client.get(url)
    if method in ("post", "put", "patch") and url.startswith("/api/"):
        return getattr(client, method)(url, data=json.dumps(data), content_type="application/json")
    if method == "post":
        return client.post(url, data)
    return getattr(client, method)(url)


@pytest.fixture
def kenya_token(personas):
    token, _secret = api_token_create(actor=personas.focal_kenya, name="reporting")
    return token


@pytest.fixture
def objects(personas, kenya_token, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tahub.assessments.models import Need
    from tahub.assessments.services.needs import need_record
    from tahub.assessments.services.questionnaires import questionnaire_version_copy
    from tahub.assessments.services.responses import response_start
    from tahub.offers.services import offer_attach, offer_create
    from tahub.reference.models import Country, Theme
    from tests.assessments.factories import assign_sections, open_cycle
    from tests.offers.factories import offer_data, published_offer

    offer = published_offer()
    cycle = open_cycle(providers=[offer.provider])
    kenya = Country.objects.get(iso3="KEN")
    response = response_start(actor=personas.focal_kenya, cycle=cycle, country=kenya)
    assign_sections(response, personas.contributor_kenya)
    draft_offer = offer_create(actor=None, provider=offer.provider, data=offer_data(title="Draft workshop"))
    settings.MEDIA_ROOT = tmp_path
    pdf = SimpleUploadedFile("programme.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    need = need_record(
        actor=None, country=kenya, theme=Theme.objects.get(code="legal"), level="high", source=Need.Source.MEETING
    )
    requests = _requests(personas)
    return {
        TOKEN: kenya_token,
        CYCLE: cycle,
        INVITATION: cycle.invitations.get(country=kenya),
        RESPONSE: response,
        NEED: need,
        VERSION: cycle.version,
        DRAFT_VERSION: questionnaire_version_copy(actor=None, version=cycle.version),
        PUBLIC_OFFER: offer,
        OFFER_PROVIDER: offer.provider,
        DRAFT_OFFER: draft_offer,
        DRAFT_ATTACHMENT: offer_attach(actor=personas.provider_unitar, offer=draft_offer, upload=pdf),
        SURVEY_INVITATION: cycle.provider_invitations.get(organisation=offer.provider),
        **requests,
        **_matches(personas, offer, need, requests),
        RENDERING: _rendering(personas, cycle),
        **_planning(),
    }


def _planning():
    from datetime import date

    from tahub.planning import services
    from tahub.planning.models import Activity, Paragraph
    from tahub.reference.models import Convention, RegionalCentre, Theme

    basel = Convention.objects.get(code="basel")
    meeting = services.meeting_create(
        actor=None, convention=basel, number=16, starts_on=date(2023, 5, 1), ends_on=date(2023, 5, 12), place="Geneva"
    )
    decision = services.decision_create(actor=None, meeting=meeting, symbol="BC-16/5", title="Technical assistance")
    paragraph = services.paragraph_save(
        actor=None, decision=decision, number="4", verb=Paragraph.Verb.REQUESTS, addressee=Paragraph.Addressee.SECRETARIAT,
        text="Requests the Secretariat to deliver training.", illustrative=True, asks_action=True,
    )
    plan = services.plan_create(
        actor=None, title="Technical assistance plan 2026–2029", start_year=2026, end_year=2029, conventions=[basel],
        goal="Strengthen the capacities of Parties.",
    )
    services.plan_adopt(actor=None, plan=plan, decision=decision)
    programme = services.programme_publish(actor=None, programme=services.programme_create(actor=None, plan=plan, start_year=2026))
    activity = services.activity_create(
        actor=None, programme=programme, title="Regional workshop on e-waste inventories", description="Three days.",
        type=Activity.Type.WORKSHOP, level=Activity.Level.REGIONAL, lead=Activity.Lead.CENTRE,
        lead_centre=RegionalCentre.objects.get(slug="senegal"), planned_start=date(2026, 3, 1), planned_end=date(2026, 3, 3),
        themes=[Theme.objects.get(code="waste_management.ewaste")], conventions=[basel], paragraphs=[paragraph],
        budget=[{"source": "Voluntary contribution", "currency": "USD", "planned": 50000}],
    )
    submitted = services.report_create(actor=None, activity=activity, summary="25 officers trained.")
    from tahub.planning.models import Evaluation
    from tahub.reference.models import Country

    area = plan.priority_areas.create(number=1, title="E-waste", rationale="Reported often.")
    evaluation = Evaluation.objects.create(activity=activity, country=Country.objects.get(iso3="KEN"), due_on=date(2026, 9, 3))
    from tahub.accounts.models import Organisation

    partner = services.partner_add(
        actor=None, activity=activity, organisation=Organisation.objects.get(acronym="UNITAR"), role="implementing",
    )
    return {
        AREA: area,
        EVALUATION: evaluation,
        PARTNER: partner,
        BUDGET_LINE: activity.budget_lines.get(),
        DECISION: decision,
        PLAN: plan,
        PROGRAMME: programme,
        DRAFT_PROGRAMME: services.programme_create(actor=None, plan=plan, start_year=2028),
        ACTIVITY: activity,
        DRAFT_REPORT: services.report_create(actor=None, activity=activity, summary="Draft: 25 officers trained."),
        SUBMITTED_REPORT: services.report_submit(actor=None, report=submitted),
    }


def _rendering(personas, cycle):
    from types import SimpleNamespace

    from django.core.files.base import ContentFile

    from tahub.reports.models import Rendering

    rendering = Rendering.objects.create(
        kind=Rendering.Kind.CYCLE, cycle=cycle, format="docx", language="fr", requested_by=personas.secretariat,
        status=Rendering.Status.DONE, progress=100,
    )
    rendering.file.save("summary.docx", ContentFile(b"PK\x03\x04 not really a document"))
    return SimpleNamespace(pk=rendering.token)


def _matches(personas, offer, need, requests):
    from types import SimpleNamespace

    from tahub.matching.models import AlertSubscription, Match

    kenya, peru = requests[REQUEST], requests[PUBLISHED_REQUEST]
    subscription = AlertSubscription.objects.create(user=personas.focal_kenya, kind=AlertSubscription.Kind.OFFERS_FOR_PARTY)
    return {
        SUGGESTION: Match.objects.create(need=need, offer=offer, country=need.country, score=0.7),
        CONVEYED: Match.objects.create(
            request=kenya, offer=offer, country=kenya.country, score=0.7, status=Match.Status.CONVEYED,
            conveyed_by=personas.secretariat,
        ),
        CONFIRMED: Match.objects.create(request=peru, offer=offer, country=peru.country, score=0.7, status=Match.Status.CONFIRMED),
        ALERT_TOKEN: SimpleNamespace(pk=subscription.token),
    }


def _requests(personas):
    from tahub.assistance.services import request_file, request_move
    from tahub.reference.models import Country
    from tests.assistance.factories import request_data, upload

    kenya = request_file(
        actor=personas.focal_kenya, country=Country.objects.get(iso3="KEN"), data=request_data(),
        attachments=[upload("letter.pdf")],
    )
    published = request_file(
        actor=personas.focal_peru, country=Country.objects.get(iso3="PER"), data=request_data(is_public=True)
    )
    for to in ("under_review", "accepted"):
        published = request_move(actor=None, request=published, to=to)
    return {
        REQUEST: kenya, REQUEST_ATTACHMENT: kenya.attachments.get(), ROUTING: kenya.routings.first(),
        PUBLISHED_REQUEST: published,
    }


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(HTML_ROUTES))
def test_html_route_answers_each_persona_as_its_policy_says(name, persona, personas, objects, client_for):
    route = HTML_ROUTES[name]
    user = None if persona == "anonymous" else getattr(personas, persona)
    url = reverse(name, args=_resolve_args(route.args, objects))

    response = _request(client_for(user), route.method, url, route.data)

    assert response.status_code == route.expected[persona], f"{route.method.upper()} {url} as {persona}"
    if response.status_code == 302 and route.expected[persona] == 302 and persona == "anonymous" and route.method == "get":
        assert "/sign-in/" in response["Location"] or "/admin/login/" in response["Location"]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("method", "path"), sorted(API_ROUTES))
def test_api_route_answers_each_persona_as_its_policy_says(method, path, persona, personas, objects, client_for):
    route = API_ROUTES[(method, path)]
    user = None if persona == "anonymous" else getattr(personas, persona)
    values = iter(_resolve_args(route.args, objects))
    url = "/".join(str(next(values)) if part.startswith("{") else part for part in path.split("/"))

    response = _request(client_for(user), method, url, _resolve_data(route.data, objects))

    assert response.status_code == route.expected[persona], f"{method.upper()} {url} as {persona}"
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == {"error"} and body["error"]["code"], body


def test_a_revoke_by_someone_else_leaves_the_token_usable(personas, kenya_token, client_for):
    client_for(personas.focal_peru).post(reverse("accounts:token_revoke", args=[kenya_token.pk]))
    client_for(personas.secretariat).delete(f"/api/v1/tokens/{kenya_token.pk}")

    kenya_token.refresh_from_db()
    assert kenya_token.revoked_at is None


def _named_patterns(resolver, namespace=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_html_route_is_in_the_permission_table():
    names = {
        name
        for name in _named_patterns(get_resolver())
        # Django's own admin views are guarded by the admin site; the API is covered below.
        if not name.startswith(("admin:", "api:")) and not name.startswith("django.")
    }
    names.discard("django.views.static.serve")
    assert names - set(HTML_ROUTES) == set(), "add these routes to HTML_ROUTES"


def test_every_api_operation_is_in_the_permission_table(client):
    schema = client.get("/api/v1/openapi.json").json()
    operations = {
        (method, path) for path, methods in schema["paths"].items() for method in methods if method != "parameters"
    }
    assert operations == set(API_ROUTES)
