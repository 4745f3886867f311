"""Full-text search over offers' titles and descriptions, on PostgreSQL and on SQLite.

PostgreSQL: a ``tsvector`` column built in English, French and Spanish (so inflected forms
match: "trainings" finds "training", "formations" finds "formation") plus an unstemmed
("simple") part for every other language, with a GIN index; queries run in the same four
configurations. tahub's own copies of those configurations (``tahub_english``, …) fold accents
first with the ``unaccent`` extension, so "dechets" finds "déchets" as it does on SQLite; where
the extension cannot be installed they are plain copies and accents count.
SQLite: an FTS5 table with the ``unicode61`` tokenizer (accents folded) and prefix queries.
Both answer inside the database through an index; neither scans in Python.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection, transaction
from django.db.models import F, Value
from django.db.models.expressions import RawSQL

# (tahub's configuration, the built-in one it copies, the dictionary that stems after unaccent)
CONFIGURATIONS = (
    ("tahub_english", "english", "english_stem"),
    ("tahub_french", "french", "french_stem"),
    ("tahub_spanish", "spanish", "spanish_stem"),
    ("tahub_simple", "simple", "simple"),
)
CONFIGS = tuple(name for name, _builtin, _stem in CONFIGURATIONS)
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


def create_configurations(schema_editor):
    """tahub's text search configurations on PostgreSQL (nothing elsewhere): copies of the
    built-in ones that fold accents with ``unaccent`` when the extension can be installed."""
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        folds = True
    except Exception:  # not available, or not allowed: search keeps accents
        folds = False
    for name, builtin, stem in CONFIGURATIONS:
        schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}")
        schema_editor.execute(f"CREATE TEXT SEARCH CONFIGURATION {name} (COPY = pg_catalog.{builtin})")
        if folds:
            schema_editor.execute(
                f"ALTER TEXT SEARCH CONFIGURATION {name} ALTER MAPPING FOR hword, hword_part, word WITH unaccent, {stem}"
            )


def drop_configurations(schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _builtin, _stem in CONFIGURATIONS:
        schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}")


def reindex_all(offers):
    """Rebuild the PostgreSQL search vector of every offer in ``offers`` (a queryset)."""
    if connection.vendor == "postgresql":
        offers.update(search_vector=_vector())
