"""Keeps the league's and the ward statistics' default periods in the cache (cron, every 10
minutes), so a caller who is not staff gets them however many reports they hold: the
country-wide tables and, when more than one province is in force, each province's own
(gis_core.league.precomputed_provinces), all provinces from one more pass per period."""

from django.core.management.base import BaseCommand

from gis_core.league import league_precompute, precomputed_provinces


class Command(BaseCommand):
    help = (
        "Computes the league tables and ward statistics the pages show first, into the cache: "
        "country-wide, and per province when more than one province is in force."
    )

    def handle(self, *args, **options) -> None:
        provinces = precomputed_provinces()
        stored = league_precompute()
        self.stdout.write(
            f"{stored} league tables stored ({len(provinces)} province(s) besides the country)"
        )
