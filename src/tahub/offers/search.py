"""Full-text search over offers' titles and descriptions, on PostgreSQL and on SQLite.

PostgreSQL: a ``tsvector`` column built in English, French and Spanish (so inflected forms
match: "trainings" finds "training", "formations" finds "formation") plus an unstemmed
("simple") part for every other language, with a GIN index; queries run in the same four
configurations. SQLite: an FTS5 table with the ``unicode61`` tokenizer (accents folded) and
prefix queries. Both answer inside the database through an index; neither scans in Python.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Value
from django.db.models.expressions import RawSQL

CONFIGS = ("english", "french", "spanish", "simple")
FTS_TABLE = "offers_offer_fts"
WORD = re.compile(r"\w+", re.UNICODE)


def _vector():
    vector = None
    for config in CONFIGS:
        part = SearchVector("title", weight="A", config=config) + SearchVector("description", weight="B", config=config)
        vector = part if vector is None else vector + part
    return vector


def index_offers(offer_ids):
    """Bring the search index of these offers up to date with their title and description."""
    from tahub.offers.models import Offer

    offer_ids = list(offer_ids)
    if not offer_ids:
        return
    if connection.vendor == "postgresql":
        Offer.objects.filter(pk__in=offer_ids).update(search_vector=_vector())
        return
    rows = Offer.objects.filter(pk__in=offer_ids).values_list("pk", "title", "description")
    with connection.cursor() as cursor:
        # The table name is a constant; every value goes as a parameter.
        cursor.executemany(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [(pk,) for pk in offer_ids])  # noqa: S608
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE} (rowid, title, description) VALUES (%s, %s, %s)", list(rows)  # noqa: S608
        )


def search(queryset, text):
    """``queryset`` narrowed to offers matching every word of ``text``, with a ``rank`` to sort by."""
    words = WORD.findall(text or "")[:12]
    if not words:
        return queryset.annotate(rank=Value(0.0))
    if connection.vendor == "postgresql":
        query = None
        for config in CONFIGS:
            part = SearchQuery(" ".join(words), config=config, search_type="plain")
            query = part if query is None else query | part
        return queryset.filter(search_vector=query).annotate(rank=SearchRank(F("search_vector"), query))
    # FTS5: each word as a quoted prefix ("word"*), all required.
    match = " ".join('"{}"*'.format(word.replace('"', "")) for word in words)
    ranked = RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [match])  # noqa: S608, S611
    return queryset.filter(pk__in=ranked).annotate(rank=Value(1.0))


def create_index(schema_editor):
    """The vendor's index structure (called by the migration)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS offers_offer_search ON offers_offer USING GIN (search_vector)"
        )
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
            "title, description, tokenize = 'unicode61 remove_diacritics 2')"
        )


def drop_index(schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS offers_offer_search")
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
