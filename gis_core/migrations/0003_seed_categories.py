"""The categories of the Quảng Ninh smart-city apps, as they were when this migration was
written: frozen here, so editing gis_core.categories later never changes what it did."""

from django.db import migrations

SEED_CATEGORIES = [
    {
        "code": "an_ninh_trat_tu",
        "name_vi": "An ninh trật tự",
        "name_en": "Security and public order",
    },
    {"code": "an_toan_giao_thong", "name_vi": "An toàn giao thông", "name_en": "Traffic safety"},
    {
        "code": "ve_sinh_an_toan_thuc_pham",
        "name_vi": "Vệ sinh an toàn thực phẩm",
        "name_en": "Food safety and hygiene",
    },
    {"code": "moi_truong", "name_vi": "Môi trường", "name_en": "Environment"},
    {"code": "trat_tu_xay_dung", "name_vi": "Trật tự xây dựng", "name_en": "Construction order"},
    {"code": "trat_tu_do_thi", "name_vi": "Trật tự đô thị", "name_en": "Urban order"},
    {
        "code": "chat_luong_phuc_vu",
        "name_vi": "Chất lượng phục vụ của cán bộ",
        "name_en": "Quality of public service",
    },
    {
        "code": "van_hoa_thong_tin",
        "name_vi": "Văn hóa thông tin",
        "name_en": "Culture and information",
    },
    {"code": "y_te_co_so", "name_vi": "Y tế cơ sở", "name_en": "Primary health care"},
    {
        "code": "ha_tang",
        "name_vi": "Hạ tầng (cống rãnh, đường, chiếu sáng)",
        "name_en": "Infrastructure (drains, roads, lighting)",
    },
    {"code": "khac", "name_vi": "Khác", "name_en": "Other"},
]



def seed(apps, schema_editor):
    Category = apps.get_model("gis_core", "Category")
    for order, row in enumerate(SEED_CATEGORIES, start=1):
        Category.objects.update_or_create(code=row["code"], defaults={**row, "sort_order": order})


def unseed(apps, schema_editor):
    Category = apps.get_model("gis_core", "Category")
    Category.objects.filter(code__in=[r["code"] for r in SEED_CATEGORIES], reports__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("gis_core", "0002_add_report_ward_assignment_trigger")]

    operations = [migrations.RunPython(seed, unseed)]
