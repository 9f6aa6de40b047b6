"""documents/ on its own: amounts in 大写, the pictures, and a URL fetcher that reaches only
the app's own files."""

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from documents import (
    DocumentRenderer,
    KeyStore,
    URLRefused,
    capital_yuan,
    qr_image,
    seal_pdf,
    seal_svg,
    verify_pdf,
)
from documents.render import SafeFetcher
from documents.sealing import reserved_room


@pytest.mark.parametrize(
    ("amount", "capitals"),
    [
        ("0", "零元整"),
        ("3500", "叁仟伍佰元整"),
        ("12.05", "壹拾贰元零伍分"),
        ("10050", "壹万零伍拾元整"),
        ("100000", "壹拾万元整"),
        ("1000001", "壹佰万零壹元整"),
        ("1010", "壹仟零壹拾元整"),
        ("0.5", "伍角整"),
        ("0.05", "伍分"),
        ("105000.30", "壹拾万伍仟元叁角整"),
        ("20000000", "贰仟万元整"),
        ("100010000", "壹亿零壹万元整"),
        ("12345.678", "壹万贰仟叁佰肆拾伍元陆角捌分"),
    ],
)
def test_amounts_in_capitals(amount, capitals):
    assert capital_yuan(amount) == capitals


def test_negative_amounts_are_refused():
    with pytest.raises(ValueError):
        capital_yuan("-1")


def test_the_seal_carries_every_character_of_the_name_escaped():
    svg = seal_svg("工农兵<社区>人民调解委员会")
    for char in "工农兵社区人民调解委员会":
        assert f">{char}</text>" in svg
    assert "&lt;" in svg and "<社区>" not in svg
    assert svg.count("rotate(") == len("工农兵<社区>人民调解委员会")
    assert "<textPath" not in svg  # WeasyPrint ignores it (DESIGN §4)


def test_the_qr_code_is_an_inline_png_of_the_address():
    img = qr_image("https://example.gov.cn/verify/a<b")
    assert img.startswith('<img class="qr-code" src="data:image/png;base64,')
    assert 'alt="https://example.gov.cn/verify/a&lt;b"' in img and "width:24mm" in img


@pytest.fixture
def fetcher(tmp_path) -> SafeFetcher:
    """A fetcher that may read tmp_path/app only."""
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "style.css").write_text("p { color: red }")
    (tmp_path / "secret.txt").write_text("not for documents")
    return SafeFetcher([tmp_path / "app"])


def test_the_fetcher_reads_percent_encoded_paths(tmp_path):
    """An app installed under a path with spaces or Chinese still reaches its own files."""
    folder = tmp_path / "调解 通"
    folder.mkdir()
    (folder / "a.css").write_text("p {}")
    response = SafeFetcher([folder]).fetch((folder / "a.css").as_uri())
    assert response.read() == b"p {}"
    response.close()


def test_the_fetcher_serves_the_apps_own_files_and_data_urls(fetcher, tmp_path):
    response = fetcher.fetch((tmp_path / "app" / "style.css").as_uri())
    assert response.read() == b"p { color: red }"
    response.close()
    assert fetcher.fetch("data:text/plain;base64,5Lit").read() == "中".encode()


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/logo.png",
        "https://127.0.0.1:5000/static/x.css",
        "ftp://example.com/x",
        "file:///etc/passwd",
        "file://{tmp}/secret.txt",
        "file://{tmp}/app/../secret.txt",
        "file://{tmp}/app/missing.css",
        "file://example.com{tmp}/app/style.css",
        "javascript:alert(1)",
    ],
)
def test_the_fetcher_refuses_everything_else(fetcher, tmp_path, url):
    with pytest.raises(URLRefused):
        fetcher.fetch(url.format(tmp=tmp_path))


def test_a_document_asking_for_outside_resources_renders_without_them(tmp_path, monkeypatch):
    """An external image or a file outside the app never reaches the fetcher's opener."""
    (tmp_path / "page.html").write_text(
        '<p>正文</p><img src="http://example.com/x.png"><img src="file:///etc/hostname">'
    )
    opened = []
    monkeypatch.setattr("weasyprint.urls.URLFetcher.open", lambda self, *a, **k: opened.append(a))
    renderer = DocumentRenderer(Path(tmp_path))
    pdf = renderer.render("page.html")
    assert pdf.startswith(b"%PDF-") and opened == []


def test_templates_escape_user_text(tmp_path):
    (tmp_path / "t.html").write_text("<p>{{ term }}</p>")
    html = DocumentRenderer(tmp_path).html("t.html", term="<script>alert(1)</script>")
    assert "&lt;script&gt;" in html and "<script>" not in html


def test_sealing_and_verifying_work_where_an_event_loop_runs(tmp_path):
    """pyHanko is asynchronous: sealing from a thread whose event loop runs (an async server,
    Playwright's sync API) must work as anywhere else."""
    store = KeyStore(tmp_path / "keys", b"passphrase")
    signer = store.signer("committee", "c1", "测试人民调解委员会")
    pdf = DocumentRenderer(tmp_path).pdf("<p>正文</p>")

    async def inside_a_loop():
        sealed = seal_pdf(pdf, signer, reason="测试")
        return verify_pdf(sealed, store.trust_roots())

    # On a thread of its own: the browser tests' Playwright may hold this thread's loop.
    with ThreadPoolExecutor(max_workers=1) as pool:
        verdict = pool.submit(asyncio.run, inside_a_loop()).result()
    assert (verdict.status, verdict.signer) == ("intact", "测试人民调解委员会")


def test_a_signers_later_seals_take_the_room_its_first_needed(tmp_path):
    """pyHanko sizes a seal by a trial signature; a signer's later seals reuse the room its
    first seal was given, and verify like it (an edit after sealing still shows)."""
    store = KeyStore(tmp_path / "keys", b"passphrase")
    signer = store.signer("committee", "c1", "测试人民调解委员会")
    pdf = DocumentRenderer(tmp_path).pdf("<p>正文</p>")
    first, second = (seal_pdf(pdf, signer, reason="测试") for _ in range(2))
    assert reserved_room(second) == reserved_room(first) > 0
    for sealed in (first, second):
        assert verify_pdf(sealed, store.trust_roots()).status == "intact"
    edited = second.replace(b"/Reason", b"/Reasom", 1)
    assert verify_pdf(edited, store.trust_roots()).status != "intact"
