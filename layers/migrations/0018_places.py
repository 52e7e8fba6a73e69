"""Places for visitors (issue 13): PointOfInterest gets a public id, a kind, structured hours,
accessibility notes, verification; new PlacePhoto, PlacePrice (listed prices with history)
and PlaceChange (the audit trail).

Existing points get a kind from their category code (the demo GeoJSON's Vietnamese codes and
the OpenStreetMap mapping's, etl/data/osm_tag_mapping.json), else from their OSM layer, else
"attraction". The table is copied here (layers/place_kinds.py holds the live one): a
migration must not import app code that may change later."""

import django.core.validators
import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models

# category code -> (kind, accommodation_type)
CATEGORY_KINDS = {
    "bai_bien": ("attraction", ""),
    "di_tich": ("attraction", ""),
    "dia_danh": ("attraction", ""),
    "giai_tri": ("attraction", ""),
    "beach": ("attraction", ""),
    "attraction": ("attraction", ""),
    "temple_historic": ("attraction", ""),
    "border_control": ("border_gate", ""),
    "hotel": ("accommodation", "hotel"),
    "guest_house": ("accommodation", "guesthouse"),
    "motel": ("accommodation", "guesthouse"),
    "hostel": ("accommodation", "guesthouse"),
    "restaurant": ("food", ""),
    "cafe": ("food", ""),
    "fast_food": ("food", ""),
    "market": ("market", ""),
    "taxi": ("transport", ""),
    "ocop": ("ocop_shop", ""),
    "wifi": ("wifi", ""),
}
# OSM mapping layer -> kind, for a category the table does not name (a shop=* value).
LAYER_KINDS = {
    "border_gate": "border_gate",
    "hotels": "accommodation",
    "food": "food",
    "markets": "market",
    "taxi": "transport",
    "wifi": "wifi",
}


def fill_public_ids(apps, schema_editor):
    PointOfInterest = apps.get_model("layers", "PointOfInterest")
    rows = list(PointOfInterest.objects.filter(public_id__isnull=True).only("id"))
    for row in rows:
        row.public_id = uuid.uuid4()
    PointOfInterest.objects.bulk_update(rows, ["public_id"], batch_size=1000)


def fill_kinds(apps, schema_editor):
    PointOfInterest = apps.get_model("layers", "PointOfInterest")
    rows = list(PointOfInterest.objects.only("id", "category", "layer"))
    for row in rows:
        kind, accommodation_type = CATEGORY_KINDS.get(row.category, ("", ""))
        row.kind = kind or LAYER_KINDS.get(row.layer, "attraction")
        row.accommodation_type = accommodation_type
    PointOfInterest.objects.bulk_update(rows, ["kind", "accommodation_type"], batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ('gis_core', '0036_report_language'),
        ('layers', '0017_names_in_three_languages'),
        ('ward_boundaries', '0004_add_assign_ward_function'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='PlaceChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('place_public_id', models.UUIDField(db_index=True)),
                ('at', models.DateTimeField(auto_now_add=True)),
                ('action', models.CharField(choices=[('create', 'Tạo mới'), ('update', 'Sửa'), ('delete', 'Xóa'), ('price_add', 'Thêm giá'), ('price_close', 'Kết thúc giá'), ('photo_add', 'Thêm ảnh'), ('photo_remove', 'Gỡ ảnh'), ('import', 'Nhập từ tệp')], max_length=20)),
                ('before', models.JSONField(blank=True, null=True)),
                ('after', models.JSONField(blank=True, null=True)),
            ],
            options={
                'ordering': ['-at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='PlacePhoto',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('image', models.ImageField(upload_to='places/%Y/')),
                ('credit', models.CharField(help_text='Author and licence', max_length=200)),
                ('sort_order', models.PositiveSmallIntegerField(default=0)),
            ],
            options={
                'ordering': ['place', 'sort_order', 'id'],
            },
        ),
        migrations.CreateModel(
            name='PlacePrice',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('item', models.CharField(max_length=200)),
                ('item_en', models.CharField(blank=True, max_length=200)),
                ('item_zh', models.CharField(blank=True, max_length=200)),
                ('unit', models.CharField(blank=True, help_text='e.g. "đêm", "suất", "km"', max_length=60)),
                ('unit_en', models.CharField(blank=True, max_length=60)),
                ('unit_zh', models.CharField(blank=True, max_length=60)),
                ('price_vnd', models.PositiveBigIntegerField()),
                ('ocop_stars', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)])),
                ('valid_from', models.DateField()),
                ('valid_to', models.DateField(blank=True, null=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'ordering': ['place', 'item', 'unit', '-valid_from'],
            },
        ),
        migrations.AddField(
            model_name='pointofinterest',
            name='accessibility',
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name='pointofinterest',
            name='accessibility_en',
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name='pointofinterest',
            name='accessibility_zh',
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name='pointofinterest',
            name='accommodation_type',
            field=models.CharField(blank=True, choices=[('hotel', 'Khách sạn'), ('guesthouse', 'Nhà nghỉ'), ('homestay', 'Homestay')], max_length=12),
        ),
        migrations.AddField(
            model_name='pointofinterest',
            name='hours',
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name='pointofinterest',
            name='kind',
            field=models.CharField(choices=[('attraction', 'Điểm tham quan'), ('accommodation', 'Lưu trú'), ('food', 'Ăn uống'), ('ocop_shop', 'Cửa hàng OCOP'), ('market', 'Chợ'), ('transport', 'Taxi và vận tải'), ('border_gate', 'Cửa khẩu'), ('toilet', 'Nhà vệ sinh công cộng'), ('info_point', 'Điểm thông tin du lịch'), ('wifi', 'Wi-Fi miễn phí')], db_index=True, default='attraction', max_length=20),
        ),
        # public_id in three steps: nullable, every existing row its own uuid4, then unique
        # and required (a callable default in one AddField would give all rows one value).
        migrations.AddField(
            model_name='pointofinterest',
            name='public_id',
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='pointofinterest',
            name='public_id',
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.RunPython(fill_kinds, migrations.RunPython.noop),
        migrations.AddField(
            model_name='pointofinterest',
            name='star_rating',
            field=models.PositiveSmallIntegerField(blank=True, help_text='Hotel star rating, 1-5', null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)]),
        ),
        migrations.AddField(
            model_name='pointofinterest',
            name='verified_at',
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='pointofinterest',
            name='verified_by',
            field=models.ForeignKey(blank=True, help_text='The office that verified the place', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='verified_places', to='gis_core.agency'),
        ),
        migrations.AddConstraint(
            model_name='pointofinterest',
            constraint=models.CheckConstraint(condition=models.Q(('star_rating__isnull', True), ('star_rating__range', (1, 5)), _connector='OR'), name='poi_star_rating_1_to_5'),
        ),
        migrations.AddField(
            model_name='placechange',
            name='place',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='changes', to='layers.pointofinterest'),
        ),
        migrations.AddField(
            model_name='placechange',
            name='user',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='placephoto',
            name='place',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='photos', to='layers.pointofinterest'),
        ),
        migrations.AddField(
            model_name='placeprice',
            name='created_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='placeprice',
            name='place',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='prices', to='layers.pointofinterest'),
        ),
        migrations.AddIndex(
            model_name='placeprice',
            index=models.Index(fields=['place', 'valid_from'], name='placeprice_place_from'),
        ),
        migrations.AddConstraint(
            model_name='placeprice',
            constraint=models.CheckConstraint(condition=models.Q(('valid_to__isnull', True), ('valid_to__gte', models.F('valid_from')), _connector='OR'), name='placeprice_valid_to_after_from'),
        ),
        migrations.AddConstraint(
            model_name='placeprice',
            constraint=models.CheckConstraint(condition=models.Q(('ocop_stars__isnull', True), ('ocop_stars__range', (1, 5)), _connector='OR'), name='placeprice_ocop_stars_1_to_5'),
        ),
    ]
