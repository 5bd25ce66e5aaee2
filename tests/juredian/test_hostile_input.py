"""Whatever is posted or asked for, the answer is a 2xx, 3xx or 4xx that says something in
Chinese — never a 5xx. Generated junk (hypothesis): NUL and control characters, broken UTF-8
and lone surrogates, huge values, wrong types, and files that are not what they claim."""

import io
import re
from urllib.parse import quote_from_bytes

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from tests.factories import make_article
from tests.takedown.helpers import PDF, PDF_WITH_HTML

pytestmark = pytest.mark.django_db
CHINESE = re.compile(r"[\u4e00-\u9fff]")
EXAMPLES = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text as people and programs send it: ordinary, Chinese, control characters, NUL, very long.
text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=200),
    st.sampled_from(["\x00", "钢铁\x00", "\r\n" * 50, "<script>", "' OR 1=1 --", "１２３"]),
    st.builds(lambda n: "字" * n, st.integers(0, 20_000)),
    st.integers().map(str),
)
# Raw bytes for query strings and form bodies: broken UTF-8, encoded lone surrogates, NULs.
raw = st.one_of(
    st.binary(max_size=300),
    st.sampled_from([b"\xed\xa0\x80", b"\xff\xfe", b"%00", b"\x00", b"%E9%92", b"q=%ZZ"]),
)


def image_bytes(size, fmt="PNG", cut=False) -> bytes:
    buffer = io.BytesIO()
    Image.new("1" if size[0] > 5000 else "RGB", size).save(buffer, fmt)
    data = buffer.getvalue()
    return data[: len(data) // 2] if cut else data


files = st.lists(
    st.one_of(
        st.binary(max_size=2000),
        st.sampled_from(
            [
                PDF,
                PDF_WITH_HTML,
                PDF[:30],
                image_bytes((30000, 30000)),
                image_bytes((60, 40), cut=True),
                image_bytes((60, 40), "GIF"),
                b"MZ\x90\x00",
            ]
        ),
    ).map(lambda data: SimpleUploadedFile("文件.pdf", data, "application/pdf")),
    max_size=3,
)


def assert_answered(response):
    assert response.status_code < 500, response.status_code
    if response.status_code not in (301, 302, 304) and not response.streaming:
        assert CHINESE.search(response.content.decode(errors="replace")), response.status_code


@pytest.fixture
def article():
    return make_article("钢铁行业的冬天", tags=["钢铁"])


def post_fields(names):
    return st.fixed_dictionaries({}, optional=dict.fromkeys(names, text))


NOTICE_FIELDS = [
    "notifier_type", "name", "organisation", "id_type", "id_number", "email", "phone",
    "address", "right_kind", "work_title", "original_location", "urls", "measure",
    "description", "signature", "declare_good_faith", "declare_accurate", "declare_liability",
    "website", "submission_key",
]  # fmt: skip
COUNTER_FIELDS = [
    "reference", "name", "id_type", "id_number", "email", "phone", "address", "grounds",
    "signature", "declare_mistake", "declare_accurate", "declare_jurisdiction",
    "submission_key",
]  # fmt: skip
SUPPLEMENT_FIELDS = ["reference", "email", "text", "urls", "website", "submission_key"]


@pytest.mark.parametrize(
    ("url_name", "names"),
    [
        ("takedown:request", NOTICE_FIELDS),
        ("takedown:counter", COUNTER_FIELDS),
        ("takedown:supplement", SUPPLEMENT_FIELDS),
        ("takedown:status", ["reference", "email"]),
    ],
)
@EXAMPLES
@given(data=st.data())
def test_junk_posted_to_a_public_form_is_answered_in_chinese(
    client, settings_for_junk, url_name, names, data
):
    fields = data.draw(post_fields(names))
    fields = {k: v.encode("utf-8", "replace").decode("utf-8") for k, v in fields.items()}
    uploads = data.draw(files)
    response = client.post(reverse(url_name), {**fields, "proof": uploads})
    assert_answered(response)


@pytest.mark.parametrize(
    "url_name", ["takedown:request", "takedown:counter", "takedown:supplement", "takedown:status"]
)
@EXAMPLES
@given(body=raw)
def test_a_malformed_body_is_answered_in_chinese(client, settings_for_junk, url_name, body):
    for content_type in ("application/x-www-form-urlencoded", "multipart/form-data; boundary=x"):
        response = client.post(reverse(url_name), data=body, content_type=content_type)
        assert_answered(response)


@pytest.mark.parametrize(
    "path",
    ["/search/", "/search/suggest", "/archive/", "/", "/trending/", "/tag/钢铁/", "/takedown/"],
)
@EXAMPLES
@given(query=st.one_of(raw, st.lists(st.tuples(raw, raw), max_size=4)))
def test_any_query_string_is_answered_in_chinese(client, article, path, query):
    if isinstance(query, list):
        query = b"&".join(quote_from_bytes(k).encode() + b"=" + quote_from_bytes(v).encode()
                          for k, v in query)  # fmt: skip
    for name in (b"q", b"page", b"channel", b"from", b"sort"):
        response = client.get(path + "?" + (name + b"=" + query).decode("latin-1"))
        if path == "/search/suggest" and response.status_code == 200:
            assert response.json() is not None
            continue
        assert_answered(response)


@EXAMPLES
@given(method=st.sampled_from(["PUT", "DELETE", "PATCH", "TRACE", "OPTIONS", "PROPFIND"]))
def test_other_methods_are_refused_in_chinese(client, article, method):
    for path in ("/", article.get_absolute_url(), "/search/", "/takedown/"):
        response = client.generic(method, path)
        assert response.status_code < 500
        if method != "OPTIONS":
            assert_answered(response)


@pytest.fixture
def settings_for_junk(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.TAKEDOWN_NOTICES_PER_HOUR = 10_000  # the limits are tested elsewhere
    settings.TAKEDOWN_ATTEMPTS_PER_HOUR = 10_000
    return settings
