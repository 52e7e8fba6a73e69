"""The one error a file reader raises: every problem found, each naming its row or feature."""

from __future__ import annotations

from pathlib import Path

MAX_PROBLEMS_SHOWN = 20


class FileProblems(ValueError):
    """A file refused as a whole.

    Attributes
    ----------
    path : str
        The file as given.
    problems : list of str
        One line per problem, each naming where it is (row number, feature number and code).
    """

    summary_suffix = ""

    def __init__(self, path: str | Path, problems: str | list[str]):
        self.path = str(path)
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        shown = self.problems[:MAX_PROBLEMS_SHOWN]
        if len(self.problems) == 1:
            message = f"{self.path}: {shown[0]}"
        else:
            more = len(self.problems) - len(shown)
            lines = "\n".join(f"  - {p}" for p in shown)
            tail = f"\n  ... and {more} more" if more else ""
            count = len(self.problems)
            message = f"{self.path}: {count} problems{self.summary_suffix}:\n{lines}{tail}"
        super().__init__(message)
