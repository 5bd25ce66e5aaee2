"""axe-core (the copy bundled by axe-playwright-python) on every page type, at phone and
desktop widths and in the dark theme: any violation, of any impact, fails."""

from pathlib import Path

import axe_playwright_python
import pytest

from tests.browser.conftest import DESKTOP, PHONE
from tests.standards import PAGES, make_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
AXE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
VIOLATIONS = """
axe.run().then(result => result.violations.map(
    v => `${v.id} (${v.impact}): ${v.nodes.map(n => n.target.join(" ")).slice(0, 3).join(", ")}`))
"""


@pytest.mark.parametrize(
    "viewport, theme", [(PHONE, "light"), (DESKTOP, "light"), (PHONE, "dark")],
    ids=["375", "1280", "375-dark"],
)  # fmt: skip
def test_no_page_type_has_an_accessibility_violation(live_server, open_page, viewport, theme):
    """Contrast included: the dark theme (the system's choice, followed) is checked too."""
    make_pages()
    page = open_page(viewport, bypass_csp=True, color_scheme=theme)  # axe injected as a script
    found = {}
    for name, path in PAGES.items():
        page.goto(live_server.url + path)
        page.add_script_tag(content=AXE)
        if violations := page.evaluate(VIOLATIONS):
            found[name] = violations
    assert found == {}
