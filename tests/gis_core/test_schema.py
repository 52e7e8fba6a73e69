"""The OpenAPI schema is valid and generates without warnings (clients and fuzzers use it)."""

from django.core.management import call_command


def test_schema_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text(encoding="utf-8")
    assert "/api/v1/reports/{public_id}/" in text and "reports_retrieve" in text
