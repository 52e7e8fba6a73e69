"""Names in three languages: a Chinese layer name, POI Chinese names and descriptions in
Vietnamese, English and Chinese, Wi-Fi notes in the three; ward-match choices in Vietnamese.

The seeded layers (0006) get their Chinese names here, in blank columns only; the demo POIs
and Wi-Fi sites get theirs from load_demo (they are not made by a migration)."""

from django.db import migrations, models

LAYER_NAMES_ZH = {
    "wards": "坊、社边界",
    "reports": "问题反映",
    "report-heat": "反映密度",
    "tourism": "旅游景点",
    "wifi": "免费Wi-Fi",
}


def fill(apps, schema_editor):
    Layer = apps.get_model("layers", "Layer")
    for key, name_zh in LAYER_NAMES_ZH.items():
        Layer.objects.filter(key=key, name_zh="").update(name_zh=name_zh)


class Migration(migrations.Migration):

    dependencies = [
        ('layers', '0016_hotspot_snapshots'),
    ]

    operations = [
        migrations.AddField(
            model_name='layer',
            name='name_zh',
            field=models.CharField(blank=True, max_length=120),
        ),
        migrations.AddField(
            model_name='pointofinterest',
            name='description',
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name='pointofinterest',
            name='description_en',
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name='pointofinterest',
            name='description_zh',
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name='pointofinterest',
            name='name_zh',
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name='wifisite',
            name='notes',
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name='wifisite',
            name='notes_en',
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name='wifisite',
            name='notes_zh',
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AlterField(
            model_name='pointofinterest',
            name='ward_match',
            field=models.CharField(choices=[('inside', 'Trong địa giới phường, xã'), ('nearest', 'Phường, xã gần nhất trong ngưỡng cho phép'), ('outside', 'Ngoài mọi phường, xã')], db_default='outside', default='outside', editable=False, max_length=10),
        ),
        migrations.AlterField(
            model_name='wifisite',
            name='ward_match',
            field=models.CharField(choices=[('inside', 'Trong địa giới phường, xã'), ('nearest', 'Phường, xã gần nhất trong ngưỡng cho phép'), ('outside', 'Ngoài mọi phường, xã')], db_default='outside', default='outside', editable=False, max_length=10),
        ),
        # Reversing drops the column, so there is nothing to undo.
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
