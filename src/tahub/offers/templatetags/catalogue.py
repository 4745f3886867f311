"""Wording shared by the catalogue's pages and its downloads."""

from django import template

from tahub.offers.exports import eligibility_in_words

register = template.Library()


@register.filter
def eligibility(offer):
    """Who may receive ``offer``, in words (its eligible groups and countries prefetched)."""
    return eligibility_in_words(offer)
