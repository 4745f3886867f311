from django.core.paginator import Paginator
from django.shortcuts import render

from tahub.accounts.selectors import focal_points_of_country_for
from tahub.assessments.models import Need, NeedObservation
from tahub.assessments.selectors import need_counts_of_country, needs_of_country_for
from tahub.assistance.selectors import published_requests, requests_of_country_for
from tahub.offers.selectors import offers_for_country
from tahub.portal.forms import PartyFilterForm
from tahub.portal.selectors import public_figures, starting_points_for
from tahub.reference.selectors import (
    CountryFilters,
    centre_country_grid,
    centre_get_for,
    centre_list_for,
    country_get_for,
    country_list_for,
    kind_of_help_list_for,
    theme_list_for,
    tree,
)

PAGE_SIZE = 50
OFFERS_ON_PARTY_PAGE = 10
REQUESTS_ON_PARTY_PAGE = 10


def home(request):
    context = {"figures": public_figures()}
    if request.user.is_authenticated:
        context["starting_points"] = starting_points_for(request.user)
    return render(request, "portal/home.html", context)


def party_list(request):
    form = PartyFilterForm(request.GET or None)
    filters = CountryFilters(**form.cleaned_data) if form.is_valid() else CountryFilters()
    page = Paginator(country_list_for(request.user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    template = "portal/_party_results.html" if request.htmx else "portal/party_list.html"
    return render(request, template, context)


def party_detail(request, iso3):
    country = country_get_for(request.user, iso3)
    offers, offer_total = offers_for_country(request.user, country, limit=OFFERS_ON_PARTY_PAGE)
    focal_points, focal_point_total = focal_points_of_country_for(request.user, country)
    requests, request_total = requests_of_country_for(request.user, country, limit=REQUESTS_ON_PARTY_PAGE)
    context = {
        "country": country,
        # The Party's focal points: names to those who may see them, the number to everyone.
        "focal_points": focal_points,
        "focal_point_total": focal_point_total,
        # Its requests as the reader may see them; the public sees those the Party published.
        "requests": requests,
        "request_total": request_total,
        "published": [] if requests else list(published_requests().filter(country=country)[:REQUESTS_ON_PARTY_PAGE]),
        # Full needs with their history for those allowed; everyone else sees counts only.
        "needs": list(needs_of_country_for(request.user, country)),
        "need_counts": need_counts_of_country(country),
        # Labels translated once, not once per observation.
        "levels": dict(NeedObservation.Level.choices),
        "sources": dict(Need.Source.choices),
        # Open offers the Party is eligible for, as the reader may see them; the rest in the catalogue.
        "offers": offers,
        "offer_total": offer_total,
    }
    return render(request, "portal/party_detail.html", context)


def centre_list(request):
    return render(request, "portal/centre_list.html", {"centres": centre_list_for(request.user)})


def centre_detail(request, slug):
    centre = centre_get_for(request.user, slug)
    return render(request, "portal/centre_detail.html", {"centre": centre, "grid": centre_country_grid(centre)})


def theme_list(request):
    context = {
        "themes": tree(list(theme_list_for(request.user))),
        "kinds": tree(list(kind_of_help_list_for(request.user))),
    }
    return render(request, "portal/theme_list.html", context)
