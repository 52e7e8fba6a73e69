"""Answer templates per category and status, with a few Vietnamese examples to start from
(administrators edit them in the admin)."""

import django.db.models.deletion
from django.db import migrations, models

# (category code or None for any, status, title, text)
EXAMPLES = [
    (None, "resolved", "Đã xử lý xong",
     "Cảm ơn ông/bà đã phản ánh. Đơn vị đã kiểm tra hiện trường và xử lý xong nội dung "
     "phản ánh. Nếu vấn đề còn tiếp diễn, xin vui lòng phản ánh lại."),
    (None, "rejected", "Không thuộc thẩm quyền",
     "Nội dung phản ánh không thuộc thẩm quyền giải quyết của chính quyền thành phố; "
     "đề nghị ông/bà liên hệ cơ quan có thẩm quyền."),
    (None, "rejected", "Chưa đủ thông tin",
     "Phản ánh chưa đủ thông tin để xác minh (vị trí, hình ảnh). Xin vui lòng gửi lại "
     "kèm ảnh và mô tả rõ địa điểm."),
    ("ha_tang", "resolved", "Đã sửa chữa hạ tầng",
     "Đơn vị đã sửa chữa, thay thế hạng mục hạ tầng bị hư hỏng tại vị trí phản ánh. "
     "Cảm ơn ông/bà đã đồng hành cùng thành phố."),
    ("moi_truong", "resolved", "Đã thu gom, vệ sinh",
     "Đơn vị vệ sinh môi trường đã thu gom rác thải và vệ sinh khu vực được phản ánh."),
    ("trat_tu_do_thi", "resolved", "Đã nhắc nhở, xử lý vi phạm",
     "Lực lượng trật tự đô thị đã kiểm tra, nhắc nhở và xử lý vi phạm lấn chiếm "
     "tại vị trí phản ánh; khu vực sẽ được kiểm tra định kỳ."),
]  # fmt: skip


def seed(apps, schema_editor):
    Category = apps.get_model("gis_core", "Category")
    ResponseTemplate = apps.get_model("gis_core", "ResponseTemplate")
    categories = dict(Category.objects.values_list("code", "id"))
    for order, (code, status, title, text) in enumerate(EXAMPLES, start=1):
        if code is not None and code not in categories:
            continue
        ResponseTemplate.objects.get_or_create(
            category_id=categories.get(code), status=status, title=title,
            defaults={"text": text, "sort_order": order * 10},
        )


class Migration(migrations.Migration):

    dependencies = [
        ('gis_core', '0033_report_priority'),
    ]

    operations = [
        migrations.CreateModel(
            name='ResponseTemplate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('received', 'Tiếp nhận'), ('verified', 'Đã xác minh'), ('rejected', 'Từ chối'), ('assigned', 'Đã chuyển xử lý'), ('in_progress', 'Đang xử lý'), ('resolved', 'Đã xử lý')], default='resolved', max_length=20, verbose_name='Trạng thái')),
                ('title', models.CharField(max_length=120, verbose_name='Tên mẫu')),
                ('text', models.TextField(verbose_name='Nội dung')),
                ('sort_order', models.PositiveSmallIntegerField(default=100)),
                ('is_active', models.BooleanField(default=True)),
                ('category', models.ForeignKey(blank=True, help_text='Để trống: dùng cho mọi lĩnh vực.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='response_templates', to='gis_core.category', verbose_name='Lĩnh vực')),
            ],
            options={
                'verbose_name': 'mẫu trả lời',
                'verbose_name_plural': 'mẫu trả lời',
                'ordering': ['sort_order', 'title', 'id'],
            },
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
