from django.db import migrations

from tahub.assistance.service_levels import DEFAULTS


def create(apps, schema_editor):
    ServiceLevel = apps.get_model("assistance", "ServiceLevel")
    for (status, urgency), days in DEFAULTS.items():
        ServiceLevel.objects.get_or_create(status=status, urgency=urgency, defaults={"working_days": days})


class Migration(migrations.Migration):
    """The service levels a new installation starts with; the Secretariat changes them in the admin."""

    dependencies = [("assistance", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
