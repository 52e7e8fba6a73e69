from django.db import migrations

LAYERS = [
    ("wards", "Ranh giới phường, xã", "Wards", "wards", "", "#555555", "public", True, 10),
    ("reports", "Phản ánh", "Reports", "reports", "", "#b2182b", "public", True, 20),
    ("report-heat", "Mật độ phản ánh", "Report density", "heat", "", "#ef6548", "staff", False, 30),
    ("tourism", "Điểm tham quan", "Attractions", "pois", "tourism", "#2b8cbe", "public", True, 40),
    ("wifi", "Wi-Fi miễn phí", "Free Wi-Fi", "wifi", "", "#31a354", "public", False, 50),
]


def seed(apps, schema_editor):
    Layer = apps.get_model("layers", "Layer")
    for key, vi, en, kind, poi_layer, color, audience, visible, order in LAYERS:
        Layer.objects.update_or_create(
            key=key,
            defaults={
                "name_vi": vi, "name_en": en, "kind": kind, "poi_layer": poi_layer,
                "color": color, "audience": audience, "visible_by_default": visible,
                "sort_order": order,
            },
        )  # fmt: skip


def unseed(apps, schema_editor):
    apps.get_model("layers", "Layer").objects.filter(key__in=[row[0] for row in LAYERS]).delete()


class Migration(migrations.Migration):
    dependencies = [("layers", "0005_add_layer_registry")]

    operations = [migrations.RunPython(seed, unseed)]
