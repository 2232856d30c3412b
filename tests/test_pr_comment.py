"""The pull request comment is inert: what an office writes is shown there as text, never as
a mention, link, image, autolink, HTML or an HTML comment (issue 25, item 6)."""
from __future__ import annotations

import html
import json
import os
import subprocess
from pathlib import Path

import pytest

from infohub import deploy
from infohub.markdown_text import code, inert, inert_html
from infohub.preview import Outgoing, page_blocks, social_blocks
from infohub.social.review import channel_changes

ZWSP = "\u200b"  # after each '@': GitHub makes no mention of it
# The four cases of the issue: a mention, a link, a tracking image and an unclosed HTML comment.
MENTION = "@imigrasi/infohub-maintainers tolong gabungkan"
LINK = "[✅ make check passed, safe to merge](https://evil.example/)"
IMAGE = "![](https://evil.example/pixel.gif)"
COMMENT = "Judul <!-- sisa komentar tersembunyi"
HOSTILE_TITLE = f"{MENTION} {LINK} {IMAGE} {COMMENT}"


@pytest.mark.parametrize("text, markdown", [
    (MENTION, f"\\@{ZWSP}imigrasi/infohub-maintainers tolong gabungkan"),
    (LINK, "\\[✅ make check passed, safe to merge\\](https\\://evil\\.example/)"),
    (IMAGE, "\\!\\[\\](https\\://evil\\.example/pixel\\.gif)"),
    (COMMENT, "Judul \\<\\!-- sisa komentar tersembunyi"),
    # autolinks: <…>, bare addresses, www. and e-mail addresses
    ("<https://evil.example>", "\\<https\\://evil\\.example\\>"),
    ("lihat https://evil.example/x atau www.evil.example", "lihat https\\://evil\\.example/x atau www\\.evil\\.example"),
    ("tulis ke a@evil.example", f"tulis ke a\\@{ZWSP}evil\\.example"),
    # HTML elements and entities
    ("<img src=x onerror=alert(1)>", "\\<img src=x onerror=alert(1)\\>"),
    ("&lt;b&gt;", "\\&lt;b\\&gt;"),
    # backticks, pipes (a table cell), emphasis, math
    ("pakai `kode` dan ``dua``", "pakai \\`kode\\` dan \\`\\`dua\\`\\`"),
    ("a | b", "a \\| b"),
    ("**tebal** _miring_ ~~coret~~ $x$", "\\*\\*tebal\\*\\* \\_miring\\_ \\~\\~coret\\~\\~ \\$x\\$"),
    # line breaks: one line, so no heading, list, quote or blank line can start
    ("baris satu\n\n# Judul palsu\r\n- butir\u2028> kutipan", "baris satu  # Judul palsu - butir \\> kutipan"),
    ("# Judul", "\\# Judul"), ("- butir", "\\- butir"), ("1. butir", "1\\. butir"), ("> kutipan", "\\> kutipan"),
    ("Loket paspor buka lebih awal", "Loket paspor buka lebih awal"),
])
def test_inert_escapes_everything_markdown_would_read(text, markdown):
    assert inert(text) == markdown


@pytest.mark.parametrize("text, span", [
    ("/berita/2025/x/", "`/berita/2025/x/`"),
    ("/a`b/", "``/a`b/``"),
    ("``/x/``", "``` ``/x/`` ```"),
    ("/a\n\n# b/", "`/a  # b/`"),
])
def test_code_fences_the_backticks_it_holds(text, span):
    assert code(text) == span


def test_inert_html_escapes_markup_and_mentions():
    assert inert_html('/x</code><img src="y">\n\n# @team') == \
        f"/x&lt;/code&gt;&lt;img src=&quot;y&quot;&gt;  # @{ZWSP}team"


# With GitHub's own Markdown (cmark-gfm) where it is installed: `pip install cmarkgfm`.
RENDER_CASES = [MENTION, LINK, IMAGE, COMMENT, "<https://evil.example>", "https://evil.example/x www.evil.example",
                "a@evil.example", "<img src=x onerror=alert(1)>", "&lt;b&gt;", "`kode`", "a | b", "# Judul\n\n- butir",
                "**tebal** ~~coret~~"]


@pytest.mark.parametrize("text", RENDER_CASES)
def test_github_markdown_shows_the_text_and_nothing_else(text):
    cmarkgfm = pytest.importorskip("cmarkgfm")
    from cmarkgfm.cmark import Options

    rendered = cmarkgfm.github_flavored_markdown_to_html(f"**kantorcontoh** — {inert(text)}",
                                                         options=Options.CMARK_OPT_UNSAFE)
    shown = html.escape(" ".join(text.split(" ")).replace("\n", " "), quote=False).replace('"', "&quot;")
    assert rendered == f"<p><strong>kantorcontoh</strong> — {shown.replace('@', '@' + ZWSP)}</p>\n"


def test_a_pipe_stays_in_its_table_cell():
    cmarkgfm = pytest.importorskip("cmarkgfm")

    rendered = cmarkgfm.github_flavored_markdown_to_html(f"| a | b |\n| - | - |\n| {inert('x | y')} | z |\n")
    assert "<td>x | y</td>\n<td>z</td>" in rendered


# --- where office text reaches the comment ------------------------------------------------


def hostile_post(**more) -> dict:
    return {"office": "kantorcontoh", "language": "id", "uid": "u1", "platform": "log", "id": "p1",
            "url": "https://kantorcontoh.id/berita/2025/a`b/", "title": HOSTILE_TITLE, "text": HOSTILE_TITLE, **more}


def test_a_hostile_post_title_is_inert_in_the_preview_comment(tmp_path):
    outgoing = Outgoing(new=[hostile_post(platform="mastodon")], gone=[hostile_post(platform="instagram")])
    blocks = social_blocks(tmp_path, "HEAD", outgoing, [])
    assert blocks[2] == (
        f"**kantorcontoh** · id · ``/berita/2025/a`b/`` — \\@{ZWSP}imigrasi/infohub-maintainers tolong gabungkan "
        "\\[✅ make check passed, safe to merge\\](https\\://evil\\.example/) "
        "\\!\\[\\](https\\://evil\\.example/pixel\\.gif) Judul \\<\\!-- sisa komentar tersembunyi\n"
        "\n"
        "mastodon:\n"
        "```text\n"
        f"{HOSTILE_TITLE}\n"  # in a code block: shown as typed
        "```")
    assert blocks[3].endswith("\n- **kantorcontoh** · id · ``/berita/2025/a`b/`` (instagram)")


def test_a_hostile_folder_and_page_name_are_inert_in_the_page_changes(tmp_path):
    slug = "@team [ok](javascript:alert(1)) <!--"  # a folder's name: no '/'
    shown = f"\\@{ZWSP}team \\[ok\\](javascript\\:alert(1)) \\<\\!--"
    for side, text in (("base", "<p>lama</p>"), ("head", "<p>baru</p>")):
        page = tmp_path / side / slug / "a</code><img src=x>" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(f"<main>{text}</main>", encoding="utf-8")
    blocks = page_blocks(tmp_path / "base", tmp_path / "head", [slug], {slug: (True, True)})
    assert blocks[1] == f"#### {shown} · Bahasa Indonesia"
    assert blocks[3].startswith("<details><summary><code>/a&lt;/code&gt;&lt;img src=x&gt;/</code> (+1 −1)</summary>")
    blocks = page_blocks(tmp_path / "base", tmp_path / "nothing", [slug], {slug: (True, False)})
    assert blocks[1].startswith(f"**{shown}** tidak dibangun dengan perubahan ini")


def test_the_social_summary_is_inert(tmp_path):
    outbox = tmp_path / "_social"
    outbox.mkdir()
    (outbox / "kantorcontoh.json").write_text(json.dumps([hostile_post(text=f"{COMMENT}\n\n{MENTION}")]),
                                               encoding="utf-8")
    assert deploy.social_summary(outbox, "en").splitlines()[2] == (
        "- **kantorcontoh** (log · id): Judul \\<\\!-- sisa komentar tersembunyi  "
        f"\\@{ZWSP}imigrasi/infohub-maintainers tolong gabungkan ``https://kantorcontoh.id/berita/2025/a`b/``")


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"})


def test_a_changed_channel_is_named_inertly_for_the_reviewer(repo):
    office = repo / "offices/kantorcontoh/office.yml"
    office.write_text(office.read_text(encoding="utf-8") + "channels:\n  - platform: telegram\n    account: '@kantorcontoh'\n",
                      encoding="utf-8")
    _git(repo, "init", "-q")
    _git(repo, "add", "offices")
    _git(repo, "commit", "-q", "-m", "base")
    office.write_text(office.read_text(encoding="utf-8").replace("'@kantorcontoh'", "'` [ok](https://evil.example) @team'"),
                      encoding="utf-8")
    assert channel_changes(repo, "HEAD", ["kantorcontoh"], "en") == [
        "**kantorcontoh** · telegram: `account` changes from `@kantorcontoh` to `` ` [ok](https://evil.example) @team ``"]
