import uuid

from django.db import migrations, models


def first_version(apps, schema_editor):
    apps.get_model("content", "RulesVersion").objects.create(pk=1)


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="RulesVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token", models.UUIDField(default=uuid.uuid4)),
            ],
        ),
        migrations.RunPython(first_version, migrations.RunPython.noop),
    ]
