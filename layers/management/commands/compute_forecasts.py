"""Recomputes every weekly forecast and its backtest (cron or the worker: weekly, Monday)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from layers.forecasts import compute_forecasts


class Command(BaseCommand):
    help = (
        "Forecasts the weekly report counts of every ward and category 8 weeks ahead, "
        "backtests each series against seasonal-naive and records the week's alerts."
    )

    def handle(self, *args, **options) -> None:
        run = compute_forecasts()
        self.stdout.write(
            f"{run.series} series forecast ({run.model_kept} by the model, the rest by the "
            f"baseline), {run.skipped} too sparse, {run.alerts} new alert(s); "
            f"{run.weeks} weeks of history, {run.seconds:.1f} s"
        )
