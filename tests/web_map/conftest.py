"""Browser fixtures shared by the e2e modules (defined with the map's e2e tests)."""

from tests.web_map.phone_browser import phone_page, phone_session  # noqa: F401
from tests.web_map.test_map_e2e import browser_page, categories  # noqa: F401
