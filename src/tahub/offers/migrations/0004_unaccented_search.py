from django.db import migrations

from tahub.offers import search


def create(apps, schema_editor):
    search.create_configurations(schema_editor)
    if schema_editor.connection.vendor == "postgresql":
        search.reindex_all(apps.get_model("offers", "Offer").objects.using(schema_editor.connection.alias))


def drop(apps, schema_editor):
    search.drop_configurations(schema_editor)


class Migration(migrations.Migration):
    """PostgreSQL: search in tahub's own text search configurations, which fold accents."""

    dependencies = [("offers", "0003_offer_survey_cycle")]

    operations = [migrations.RunPython(create, drop)]
