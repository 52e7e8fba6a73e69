"""Tourism categories for reports about a place (overcharging, hygiene, safety, touts, a
closed place shown as open), offered first on a place's report form (Category.for_places,
0038). A migration of its own: rows written and a column altered in one transaction make
PostgreSQL refuse the ALTER ("pending trigger events") when the pair is unapplied.

Copied, not imported (gis_core.categories may change later). Existing rows are left as an
administrator worded them; "Khác" stays last if it still has its seeded position."""

from django.db import migrations

TOURISM_CATEGORIES = [
    (
        "du_lich_chat_chem",
        "Chặt chém, bán cao hơn giá niêm yết",
        "Overcharging above the listed price",
        "宰客、高于公示价格收费",
    ),
    (
        "du_lich_ve_sinh",
        "Mất vệ sinh tại điểm du lịch",
        "Poor hygiene at a tourist place",
        "旅游场所卫生差",
    ),
    ("du_lich_an_toan", "Mất an toàn cho du khách", "Unsafe for visitors", "游客安全隐患"),
    (
        "du_lich_cheo_keo",
        "Chèo kéo, đeo bám du khách",
        "Touts pestering visitors",
        "拉客、纠缠游客",
    ),
    (
        "du_lich_sai_thong_tin",
        "Địa điểm đóng cửa nhưng hiển thị đang mở",
        "Place closed but shown as open",
        "场所已关门却显示营业",
    ),
]
FIRST_ORDER = 11  # after the eleven seeded before them ("Khác" was the 11th)
OTHER_ORDER = FIRST_ORDER + len(TOURISM_CATEGORIES)


def seed(apps, schema_editor):
    Category = apps.get_model("gis_core", "Category")
    for offset, (code, name_vi, name_en, name_zh) in enumerate(TOURISM_CATEGORIES):
        Category.objects.get_or_create(
            code=code,
            defaults={
                "name_vi": name_vi,
                "name_en": name_en,
                "name_zh": name_zh,
                "for_places": True,
                "sort_order": FIRST_ORDER + offset,
            },
        )
    Category.objects.filter(code="khac", sort_order=FIRST_ORDER).update(sort_order=OTHER_ORDER)


def unseed(apps, schema_editor):
    Category = apps.get_model("gis_core", "Category")
    codes = [row[0] for row in TOURISM_CATEGORIES]
    Category.objects.filter(code__in=codes, reports__isnull=True).delete()
    Category.objects.filter(code="khac", sort_order=OTHER_ORDER).update(sort_order=FIRST_ORDER)


class Migration(migrations.Migration):
    dependencies = [("gis_core", "0038_category_for_places")]

    operations = [
        migrations.RunPython(seed, unseed),
    ]
