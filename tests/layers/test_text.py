"""fold_name: what a search without diacritics compares against."""

from __future__ import annotations

import pytest

from layers.text import fold_name


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Bãi Trà Cổ", "bai tra co"),
        ("TRÀ CỔ", "tra co"),
        ("Đền Xã Tắc", "den xa tac"),
        ("  Mũi   Sa Vĩ ", "mui sa vi"),
        ("Quảng trường 3/2", "quang truong 3/2"),
        ("", ""),
    ],
)
def test_fold_name(text, folded):
    assert fold_name(text) == folded
