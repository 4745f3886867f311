from django.db import migrations

from tahub.offers import search


def create(apps, schema_editor):
    search.create_index(schema_editor)


def drop(apps, schema_editor):
    search.drop_index(schema_editor)


class Migration(migrations.Migration):
    """The full-text index: a GIN index on PostgreSQL, an FTS5 table on SQLite."""

    dependencies = [("offers", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
