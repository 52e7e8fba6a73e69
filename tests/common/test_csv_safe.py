"""The one CSV writer (common.csv_safe): formula-like text is defused, numbers stay numbers."""

from __future__ import annotations

import pandas as pd
import pytest

from common.csv_safe import frame_to_csv, rows_to_csv, safe_cell

HOSTILE = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_like_text_gets_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Rác ở 06709", "1+1", "a=b", "", "'=already", -0.5, -3, None])
def test_other_values_are_left_alone(value):
    assert safe_cell(value) == value


def test_rows_are_written_for_excel_with_text_escaped_and_numbers_kept():
    body = rows_to_csv(("name", "change"), [["=HYPERLINK(1)", -2], [None, -0.5]])
    assert body.startswith(b"\xef\xbb\xbf")
    assert body.decode("utf-8-sig") == "name,change\r\n'=HYPERLINK(1),-2\r\n,-0.5\r\n"


def test_a_frame_escapes_its_text_columns_only():
    frame = pd.DataFrame({"description": ["-2+3", "Rác"], "lon": [-0.5, 107.9]})
    body = frame_to_csv(frame)
    assert body.startswith(b"\xef\xbb\xbf")
    assert body.decode("utf-8-sig").splitlines() == ["description,lon", "'-2+3,-0.5", "Rác,107.9"]
    # The caller's frame is not changed.
    assert list(frame["description"]) == ["-2+3", "Rác"]
