"""Django admin for administrators: categories and reports (ward fields are read-only: the
database decides them), and accounts, found by phone through its keyed hash."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.gis.admin import GISModelAdmin

from common.admin_widgets import LocalOSMWidget
from common.field_crypto import phone_hash
from common.phones import normalize_phone
from gis_core.accounts import citizen_username
from gis_core.models import (
    Agency,
    AgencyDeadline,
    Category,
    Report,
    ReportPhoto,
    ReportTransition,
    RoutingRule,
)
from gis_core.signin_throttle import ThrottledAuthenticationForm


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name_vi", "name_en", "sort_order", "is_active")
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


@admin.register(Report)
class ReportAdmin(GISModelAdmin):
    gis_widget = LocalOSMWidget  # type: ignore[assignment]  # a class, as Django wants
    list_display = (
        "public_id",
        "category",
        "ward",
        "ward_match",
        "status",
        "reported_at",
        "source",
    )
    list_filter = ("status", "category", "ward_match", "source", "ward__version")
    search_fields = ("public_id", "description", "ward__name", "ward__code")
    # Status and answer change only through gis_core.workflow, which records each change.
    readonly_fields = (
        "public_id",
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
