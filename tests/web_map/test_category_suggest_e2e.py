"""Suggested categories on the citizen's phone (390×844, touch), from the real trained model:
they appear a moment after typing stops, one request per pause, and a tap chooses one."""

from __future__ import annotations

import pytest

from tests.web_map.map_page import assert_no_problems, open_map
from tests.web_map.phone_browser import axe_serious

pytestmark = pytest.mark.e2e

DRAIN = "Cong thoat nuoc truoc nha bi tac, mua xuong la nuoc tran len mat duong"


def test_suggestions_while_typing_and_a_tap_chooses(
    phone_session, live_server, map_data, current_model, tmp_path
):
    page = phone_session.page
    asked: list[str] = []
    page.on(
        "request",
        lambda r: asked.append(r.post_data or "") if "/categories/suggest/" in r.url else None,
    )
    open_map(page, live_server)
    page.tap("#report-fab")
    page.locator("#report-panel").wait_for(state="visible")
    box = page.locator("#category-suggestions")
    assert box.is_hidden()

    page.locator("#f-description").press_sequentially(DRAIN, delay=15)
    chip = page.locator("#category-suggestions .ht-chip").first
    chip.wait_for(state="visible")
    assert chip.get_attribute("data-category") == "ha_tang"
    assert "Hạ tầng" in chip.inner_text()
    assert len(asked) <= 3, f"one request per pause in typing, not per key: {len(asked)}"
    assert page.locator("#f-category").input_value() == "", "a suggestion is never chosen for them"
    height = chip.bounding_box()["height"]
    assert height >= 44, f"a thumb-sized chip, not {height}px"
    assert axe_serious(page) == []
    page.screenshot(path=str(tmp_path / "suggestions.png"))

    chip.tap()
    assert page.locator("#f-category").input_value() == "ha_tang"
    box.wait_for(state="hidden")  # the chosen category agrees with the best suggestion

    # Another category chosen by hand: the suggestion is offered again, not forced.
    page.select_option("#f-category", "moi_truong")
    page.locator("#category-suggestions .ht-chip[data-category=ha_tang]").wait_for()
    assert page.locator("#f-category").input_value() == "moi_truong"
    assert_no_problems(page)
