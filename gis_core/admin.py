"""Django admin for administrators: categories and reports (ward fields are read-only: the
database decides them), and accounts, found by phone through its keyed hash."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.gis.admin import GISModelAdmin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from common.admin_widgets import LocalOSMWidget
from common.field_crypto import phone_hash
from common.phones import normalize_phone
from gis_core.accounts import citizen_username
from gis_core.contact_access import can_read_access_log, contact_access_record, shows_contact
from gis_core.models import (
    Agency,
    AgencyDeadline,
    Category,
    CategoryModel,
    ConsentChannel,
    ContactAccess,
    ContactConsent,
    ErasureRequest,
    Report,
    ReportChannel,
    ReportPhoto,
    ReportTransition,
    ResponseTemplate,
    RoutingRule,
)
from gis_core.signin_throttle import ThrottledAuthenticationForm


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name_vi",
        "name_en",
        "name_zh",
        "sort_order",
        "is_active",
        "default_priority",
    )
    list_editable = ("sort_order", "is_active")


class ReportPhotoInline(admin.TabularInline):
    model = ReportPhoto
    extra = 0
    readonly_fields = (
        "image",
        "thumbnail",
        "content_type",
        "width",
        "height",
        "size_bytes",
        "sha256",
    )


class ReportTransitionInline(admin.TabularInline):
    """The history is written by gis_core.workflow only; the admin shows it."""

    model = ReportTransition
    extra = 0
    can_delete = False
    readonly_fields = ("from_status", "to_status", "actor", "note", "public_note", "created_at")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record the code writes: the admin shows it, to operators and administrators only."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        return can_read_access_log(request.user)

    def has_module_permission(self, request) -> bool:
        return can_read_access_log(request.user)


@admin.register(ContactAccess)
class ContactAccessAdmin(ReadOnlyAdmin):
    list_display = ("at", "username", "report", "view")
    list_filter = ("view",)
    search_fields = ("username",)
    date_hierarchy = "at"
    list_select_related = ("report",)
    show_full_result_count = False  # the log grows by a row per look: no count(*) per page


@admin.register(ErasureRequest)
class ErasureRequestAdmin(ReadOnlyAdmin):
    list_display = ("account_ref", "requested_at", "deadline", "is_overdue", "done_at", "done_by")
    list_filter = (("done_at", admin.EmptyFieldListFilter),)
    list_select_related = ("done_by",)

    @admin.display(description=_("Tài khoản"), ordering="account_id")
    def account_ref(self, obj: ErasureRequest) -> str:
        """The account by its number: its name is a phone's keyed hash, and carrying the
        request out (process_erasure_requests) needs no contact shown."""
        return f"#{obj.account_id}" if obj.account_id else "—"

    @admin.display(boolean=True, description=_("Quá hạn"))
    def is_overdue(self, obj: ErasureRequest) -> bool:
        return obj.overdue


@admin.register(Report)
class ReportAdmin(GISModelAdmin):
    gis_widget = LocalOSMWidget  # type: ignore[assignment]  # a class, as Django wants
    list_display = (
        "public_id",
        "category",
        "ward",
        "ward_match",
        "status",
        "priority",
        "reported_at",
        "source",
        "channel",
    )
    list_filter = (
        "status",
        "priority",
        "category",
        "ward_match",
        "source",
        "channel",
        "language",
        "ward__version",
    )
    search_fields = ("public_id", "description", "ward__name", "ward__code")
    # Status and answer change only through gis_core.workflow, the priority only through
    # gis_core.priority (a new report takes its category's), each change recorded.
    readonly_fields = (
        "public_id",
        "priority",
        "ward",
        "ward_match",
        "ward_distance_m",
        "status",
        "rejection_reason",
        "answer",
        "resolved_at",
        "agency",
        "assigned_at",
        "due_at",
        "merged_into",
        "suggested_category",
        "suggested_score",
        "entered_by",
        "created_at",
        "updated_at",
    )
    list_select_related = ("category", "ward")
    date_hierarchy = "reported_at"
    inlines = (ReportPhotoInline, ReportTransitionInline)

    def get_search_results(self, request, queryset, search_term):
        """Also finds the reports of a phone typed whole: the phone is encrypted, so only its
        keyed hash can be compared (exactly; no partial numbers)."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        number = normalize_phone(search_term)
        if number:
            results |= queryset.filter(contact_phone_hash=phone_hash(number))
        return results, may_have_duplicates

    def get_form(self, request, obj=None, change=False, **kwargs):
        """The channel and the language may be left out (a form of before them): the model's
        defaults (the app; Vietnamese)."""
        form = super().get_form(request, obj, change=change, **kwargs)
        for name in ("channel", "language"):
            if name in form.base_fields:
                form.base_fields[name].required = False
        return form

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), "consent")

    @admin.display(description=_("Đồng ý với thông báo dữ liệu cá nhân"))
    def consent(self, obj: Report) -> str:
        """The consent the contact data came with: a record, shown and never edited."""
        record = ContactConsent.objects.filter(report=obj).first() if obj.pk else None
        if record is None:
            return "—"
        given = f"{record.given_at:%Y-%m-%d %H:%M}"
        return f"{record.notice_version} · {record.get_channel_display()} · {given}"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The change form shows the contact fields: each look is logged (ContactAccess)."""
        response = super().change_view(request, object_id, form_url, extra_context)
        report = getattr(response, "context_data", {}).get("original")
        if request.method == "GET" and response.status_code == 200 and report is not None:
            contact_access_record(request.user, [report], "admin:gis_core_report_change")
        return response

    def save_model(self, request, obj, form, change) -> None:
        """Contact data typed in by staff (a citizen on the phone) records its consent too,
        and a report added here records who entered it."""
        if not change:
            obj.entered_by = request.user
        obj.channel = obj.channel or ReportChannel.APP
        obj.language = obj.language or settings.LANGUAGE_CODE
        super().save_model(request, obj, form, change)
        if shows_contact(obj):
            ContactConsent.objects.get_or_create(
                report=obj,
                defaults={
                    "notice_version": settings.PRIVACY_NOTICE_VERSION,
                    "channel": ConsentChannel.STAFF,
                },
            )


class AgencyDeadlineInline(admin.TabularInline):
    model = AgencyDeadline
    extra = 0


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "contact_email", "contact_phone", "is_active")
    filter_horizontal = ("wards", "categories")
    inlines = (AgencyDeadlineInline,)


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ("__str__", "category", "ward", "agency")
    list_filter = ("agency", "category")


@admin.register(ResponseTemplate)
class ResponseTemplateAdmin(admin.ModelAdmin):
    """Answer templates the staff pick on a report's page (gis_core.models.responses)."""

    list_display = ("title", "category", "status", "sort_order", "is_active")
    list_editable = ("sort_order", "is_active")
    list_filter = ("status", "category", "is_active")


class AccountAdmin(UserAdmin):
    """Django's user admin; a citizen's username is the keyed hash of their phone
    (gis_core.accounts.citizen_username), so a phone typed whole finds its account."""

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        number = normalize_phone(search_term)
        if number:
            results |= queryset.filter(username=citizen_username(number))
        return results, may_have_duplicates


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), AccountAdmin)


# The sign-in of the admin and of the staff pages (web_map.staff_shell sends them here):
# failed attempts are limited per address and account, a locked one checks no password.
admin.site.login_form = ThrottledAuthenticationForm


@admin.register(CategoryModel)
class CategoryModelAdmin(admin.ModelAdmin):
    """The category classifier's training runs (gis_core.category_training): written by the
    nightly task only, so the admin reads them; the current one is what staff see suggested."""

    list_display = (
        "created_at",
        "is_current",
        "decision",
        "top1",
        "top3",
        "held_out",
        "reports_seen",
        "training_seconds",
    )
    list_filter = ("is_current", "kept", "decision")
    exclude = ("artifact",)
    readonly_fields = (
        "created_at",
        "is_current",
        "kept",
        "decision",
        "top1",
        "top3",
        "held_out",
        "per_category",
        "previous",
        "reports_seen",
        "data_seen",
        "artifact_sha256",
        "training_seconds",
    )
    fields = readonly_fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("Đúng ở gợi ý đầu"))
    def top1(self, obj: CategoryModel) -> str:
        return _percent(obj.metrics.get("top1"))

    @admin.display(description=_("Đúng trong ba gợi ý"))
    def top3(self, obj: CategoryModel) -> str:
        return _percent(obj.metrics.get("top3"))

    @admin.display(description=_("Số phản ánh để đánh giá"))
    def held_out(self, obj: CategoryModel) -> str:
        kind = (
            _("phản ánh mới nhất")
            if obj.metrics.get("evaluated_on") == "time_split"
            else _("mô tả mẫu giữ lại")
        )
        return f"{obj.metrics.get('n', 0)} ({kind})"

    @admin.display(description=_("Phản ánh đã học"))
    def reports_seen(self, obj: CategoryModel) -> int:
        return int(obj.data_seen.get("reports", 0))

    @admin.display(description=_("Mô hình đang dùng trên cùng dữ liệu"))
    def previous(self, obj: CategoryModel) -> str:
        if not obj.previous_metrics:
            return "—"
        return f"{_percent(obj.previous_metrics.get('top1'))} / " + _percent(
            obj.previous_metrics.get("top3")
        )

    @admin.display(description=_("Theo lĩnh vực"))
    def per_category(self, obj: CategoryModel) -> str:
        names = dict(Category.objects.values_list("code", "name_vi"))
        rows = sorted(obj.metrics.get("per_category", {}).items())
        body = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    names.get(code, code),
                    _percent(f["precision"]),
                    _percent(f["recall"]),
                    f["support"],
                )
                for code, f in rows
            ),
        )
        return format_html(
            "<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>{}</table>",
            _("Lĩnh vực"),
            _("Độ chính xác"),
            _("Độ phủ"),
            _("Số phản ánh"),
            body,
        )


def _percent(value: object) -> str:
    return f"{float(value) * 100:.1f}%" if isinstance(value, int | float) else "—"
