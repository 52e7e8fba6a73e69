"""Trains the category classifier (cron, nightly; the queue runs it at 02:30 too): keeps the
new model only if not worse than the current one on the newest confirmed reports, and prints
its figures. `--if-missing` trains only when there is no current model (`make demo`)."""

from django.core.management.base import BaseCommand, CommandError

from gis_core.category_suggestions import fill_suggestions
from gis_core.category_training import TrainingError, current_model_row, train_category_model


class Command(BaseCommand):
    help = "Trains the category classifier; keeps it only if not worse than the current one."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--if-missing", action="store_true", help="Only when no model is current yet."
        )

    def handle(self, *args, **options) -> None:
        if options["if_missing"] and current_model_row() is not None:
            self.stdout.write("a category model is current: nothing to do")
            return
        try:
            row = train_category_model()
        except TrainingError as error:
            raise CommandError(str(error)) from error
        m = row.metrics
        self.stdout.write(
            f"model #{row.pk}: top-1 {m['top1']:.3f}, top-3 {m['top3']:.3f} on {m['n']} "
            f"held-out ({m['evaluated_on']}); {row.decision}; "
            f"trained in {row.training_seconds:.1f} s on {row.data_seen.get('reports', 0)} "
            f"reports + {row.data_seen.get('seed', 0)} seed descriptions"
        )
        if row.previous_metrics:
            p = row.previous_metrics
            self.stdout.write(
                f"current model on the same reports: top-1 {p['top1']:.3f}, top-3 {p['top3']:.3f}"
            )
        for code, figures in sorted(m["per_category"].items()):
            self.stdout.write(
                f"  {code:28} precision {figures['precision']:.2f}  recall "
                f"{figures['recall']:.2f}  ({figures['support']})"
            )
        if row.is_current:
            total = 0
            while filled := fill_suggestions():  # each batch its own transaction
                total += filled
            self.stdout.write(f"{total} waiting reports got a suggestion")
