"""The public catalogue of offers: list with filters, offer and provider pages, downloads.

No sign-in is needed: every read goes through a permission-aware selector, so the public sees
public offers and a signed-in reader whatever their roles allow.
"""

from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from tahub.offers import exports
from tahub.offers.catalogue_forms import CatalogueFilterForm
from tahub.offers.selectors import (
    catalogue_count_for,
    offer_export_rows_for,
    offer_get_for,
    offer_rows_for,
    offers_of_provider_for,
    open_offer_counts_for,
    provider_get_for,
    providers_with_offers_for,
)

PAGE_SIZE = 25


def _chosen_kind(form, filters):
    """The top-level kind the reader is browsing (the parent of a chosen refinement), or None."""
    chosen = next((kind for kind in form.kinds if kind.code == filters.kind), None)
    return chosen.parent if chosen is not None and chosen.parent_id else chosen


def _navigation(request, form, filters):
    """The kind-of-help cards with their counts and, once a kind is chosen, its themes with theirs."""
    chosen = _chosen_kind(form, filters)
    counts = open_offer_counts_for(request.user, chosen.code if chosen else "")
    return {
        "kinds": [(kind, counts["kinds"].get(kind.code, 0)) for kind in form.kinds if kind.parent_id is None],
        "chosen_kind": chosen,
        "themes": [
            (theme, counts["themes"][theme.code])
            for theme in form.themes
            if theme.parent_id is None and counts["themes"].get(theme.code)
        ],
    }


def catalogue(request):
    form = CatalogueFilterForm(request.GET or None)
    filters = form.filters()
    paginator = Paginator(offer_rows_for(request.user, filters), PAGE_SIZE)
    paginator.count = catalogue_count_for(request.user, filters)  # cached: counting is the costly part
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form, "page": page, "query": query.urlencode(), "filters": filters,
        **_navigation(request, form, filters),
    }
    template = "offers/_catalogue_results.html" if request.htmx else "offers/catalogue.html"
    return render(request, template, context)


def catalogue_download(request, fmt):
    """The catalogue as filtered on the page, every matching offer, as CSV, XLSX or JSON."""
    filters = CatalogueFilterForm(request.GET or None).filters()
    rows = offer_export_rows_for(request.user, filters)
    # An offer's page is "<pk>/" under the catalogue (tests hold the two together); building the
    # address from a prefix spares a URL reversal per row.
    catalogue_url = request.build_absolute_uri(reverse("offers:catalogue"))
    columns = exports.catalogue_columns(lambda row: f"{catalogue_url}{row['pk']}/")
    rendered = exports.RENDERERS[fmt](rows, columns)
    filename = f"tahub-offers-{timezone.localdate():%Y-%m-%d}.{fmt}"
    if isinstance(rendered, bytes):
        response = HttpResponse(rendered, content_type=exports.CONTENT_TYPES[fmt])
    else:
        response = StreamingHttpResponse(rendered, content_type=exports.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def offer_detail(request, pk):
    offer = offer_get_for(request.user, pk)
    return render(request, "offers/offer_detail.html", {"offer": offer})


def provider_list(request):
    return render(request, "offers/provider_list.html", {"providers": providers_with_offers_for(request.user)})


def provider_detail(request, pk):
    provider = provider_get_for(request.user, pk)
    current, earlier = offers_of_provider_for(request.user, provider)
    return render(
        request, "offers/provider_detail.html", {"provider": provider, "current": current, "earlier": earlier}
    )
