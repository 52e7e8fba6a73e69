"""Which agency handles a report, for how long it may take (the deadline), and which categories
one agency shares (similar categories, for duplicates)."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Q, Value, When

from gis_core.models import Agency, AgencyDeadline, Category, Report, RoutingRule


def agency_for(report: Report) -> Agency | None:
    """The agency of the most specific matching rule: (category, ward), (category, city),
    (any category, ward), then the city-wide default (any, city)."""
    return agency_for_case(category_id=report.category_id, ward_id=report.ward_id)


def agency_for_case(*, category_id: int | None, ward_id: int | None) -> Agency | None:
    """agency_for, for a category and ward not (yet) a report's: where a suggested category
    would send it."""
    rule = (
        RoutingRule.objects.filter(
            Q(category=category_id) | Q(category__isnull=True),
            Q(ward=ward_id) | Q(ward__isnull=True),
            agency__is_active=True,
        )
        .annotate(
            specificity=Case(
                When(category__isnull=False, ward__isnull=False, then=Value(0)),
                When(category__isnull=False, then=Value(1)),
                When(ward__isnull=False, then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            )
        )
        .select_related("agency")
        .order_by("specificity", "id")
        .first()
    )
    return rule.agency if rule else None


def deadline_hours(report: Report, agency: Agency | None) -> int:
    """The agency's override for the category, else the category's own deadline (the only one
    for a report without an agency)."""
    override = (
        AgencyDeadline.objects.filter(agency=agency, category=report.category_id)
        .values_list("working_hours", flat=True)
        .first()
    )
    return override if override is not None else report.category.deadline_working_hours


def similar_category_ids(category: Category) -> list[int]:
    """Active categories that a city-wide routing rule sends to the same agency as this
    category's own city-wide rule (the catch-all rule with no category does not count)."""
    agencies = RoutingRule.objects.filter(category=category, ward__isnull=True).values("agency")
    return list(
        RoutingRule.objects.filter(
            ward__isnull=True, category__isnull=False, category__is_active=True, agency__in=agencies
        )
        .exclude(category=category)
        .values_list("category_id", flat=True)
        .distinct()
    )
