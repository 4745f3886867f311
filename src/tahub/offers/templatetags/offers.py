"""Offer descriptions are Markdown: rendered without raw HTML, then sanitised once more."""

import nh3
from django import template
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

register = template.Library()

_markdown = MarkdownIt("commonmark", {"html": False}).enable("table")
ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "a", "code", "pre", "blockquote", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td", "hr",
}


@register.filter
def markdown(text):
    """Markdown to safe HTML: headings start at level 3 (the page owns 1 and 2), links get rel=noopener."""
    rendered = _markdown.render(text or "")
    for level in (2, 1):
        rendered = rendered.replace(f"<h{level}>", f"<h{level + 2}>").replace(f"</h{level}>", f"</h{level + 2}>")
    cleaned = nh3.clean(rendered, tags=ALLOWED_TAGS, url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer")
    return mark_safe(cleaned)  # noqa: S308 - rendered without raw HTML, then sanitised by nh3
