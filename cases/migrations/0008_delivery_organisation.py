import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_organisation(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Delivery = apps.get_model("cases", "Delivery")
    Delivery.objects.filter(organisation__isnull=True).update(
        organisation_id=Subquery(
            Case.objects.filter(deadlines__reminders__id=OuterRef("reminder_id")).values(
                "organisation_id"
            )[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_stats_covering_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="delivery",
            name="organisation",
            field=models.ForeignKey(
                null=True,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="cases.organisation",
            ),
        ),
        migrations.RunPython(copy_organisation, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="delivery",
            name="organisation",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="cases.organisation",
            ),
        ),
        migrations.AddIndex(
            model_name="delivery",
            index=models.Index(
                fields=["organisation", "created_at"],
                include=["channel", "state"],
                name="delivery_org_created",
            ),
        ),
    ]
