"""Keeps the league's and the ward statistics' default periods in the cache (cron, every 10
minutes), so a caller who is not staff gets them however many reports they hold."""

from django.core.management.base import BaseCommand

from gis_core.league import league_precompute


class Command(BaseCommand):
    help = "Computes the league tables and ward statistics the pages show first, into the cache."

    def handle(self, *args, **options) -> None:
        stored = league_precompute()
        self.stdout.write(f"{stored} league periods stored")
