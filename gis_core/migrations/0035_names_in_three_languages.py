"""Names in three languages: Chinese category names and descriptions, English and Chinese
agency names; status-like choices with Vietnamese labels (translated by the catalogs).

The seeded categories and the demo agencies get their Chinese (and English) names here, in
blank columns only, so an administrator's own wording is never overwritten. The names are
copied, not imported (gis_core.categories and etl.demo_translations may change later)."""

from django.db import migrations, models

CATEGORY_NAMES_ZH = {
    "an_ninh_trat_tu": "治安秩序",
    "an_toan_giao_thong": "交通安全",
    "ve_sinh_an_toan_thuc_pham": "食品卫生安全",
    "moi_truong": "环境",
    "trat_tu_xay_dung": "建设秩序",
    "trat_tu_do_thi": "城市秩序",
    "chat_luong_phuc_vu": "干部服务质量",
    "van_hoa_thong_tin": "文化信息",
    "y_te_co_so": "基层医疗",
    "ha_tang": "基础设施（排水、道路、照明）",
    "khac": "其他",
}
AGENCY_NAMES = {
    "ioc": ("Smart City Monitoring and Operations Centre", "智慧城市监控运营中心"),
    "qldt": ("Urban Management Office", "城市管理科"),
    "tnmt": ("Natural Resources and Environment Office", "资源与环境科"),
    "cong-an": ("City Police", "市公安局"),
    "y-te": ("Health Office", "卫生科"),
    "vhtt": ("Culture and Information Office", "文化信息科"),
    "noi-vu": ("Home Affairs Office", "内务科"),
}


def fill(apps, schema_editor):
    Category = apps.get_model("gis_core", "Category")
    Agency = apps.get_model("gis_core", "Agency")
    for code, name_zh in CATEGORY_NAMES_ZH.items():
        Category.objects.filter(code=code, name_zh="").update(name_zh=name_zh)
    for code, (name_en, name_zh) in AGENCY_NAMES.items():
        Agency.objects.filter(code=code, name_en="").update(name_en=name_en)
        Agency.objects.filter(code=code, name_zh="").update(name_zh=name_zh)


class Migration(migrations.Migration):

    dependencies = [
        ('gis_core', '0034_response_templates'),
    ]

    operations = [
        migrations.AddField(
            model_name='agency',
            name='name_en',
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name='agency',
            name='name_zh',
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name='category',
            name='description_zh',
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name='category',
            name='name_zh',
            field=models.CharField(blank=True, max_length=120),
        ),
        migrations.AlterField(
            model_name='remindersent',
            name='kind',
            field=models.CharField(choices=[('before_due', 'Trước hạn xử lý'), ('overdue', 'Quá hạn xử lý')], max_length=20),
        ),
        migrations.AlterField(
            model_name='report',
            name='source',
            field=models.CharField(choices=[('api', 'API'), ('web', 'Bản đồ web'), ('import', 'Nhập hàng loạt'), ('admin', 'Trang quản trị'), ('demo', 'Dữ liệu minh họa'), ('staff', 'Cán bộ nhập'), ('email', 'Hộp thư e-mail')], db_default='api', default='api', max_length=10),
        ),
        migrations.AlterField(
            model_name='report',
            name='ward_match',
            field=models.CharField(choices=[('inside', 'Trong địa giới phường, xã'), ('nearest', 'Phường, xã gần nhất trong ngưỡng cho phép'), ('outside', 'Ngoài mọi phường, xã')], db_default='outside', default='outside', editable=False, max_length=10),
        ),
        # Reversing drops the columns, so there is nothing to undo.
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
