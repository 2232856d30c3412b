"""What Material's templates render the same on many pages is rendered once a build
(infohub/template_memo.py), and the pages stay byte for byte what they were without it."""
from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import jinja2
import jinja2.meta
import material
import pytest

from conftest import ROOT
from infohub import template_memo
from infohub.build import build_sites
from infohub.theme_cache import KeptBytecodeCache
from test_clean_build import published

THEME = [str(ROOT / "overrides"), os.path.join(os.path.dirname(material.__file__), "templates")]


def _build(root: Path, out: str) -> dict[str, bytes]:
    results = build_sites(["hub", "kantorcontoh"], root / out, jobs=1, root=root, echo=lambda _: None)
    assert [(r.slug, r.ok) for r in results] == [("hub", True), ("kantorcontoh", True)]
    return published(root / out)


def test_pages_are_the_same_byte_for_byte_with_and_without_the_memo_which_renders_each_partial_once(
        repo, monkeypatch):
    rendered: Counter = Counter()  # (environment, partial, key): times really rendered
    included: Counter = Counter()  # partial: times a page included it
    memoized = template_memo._memoized

    def counting(name, key_of, render, environment):
        def counted_render(context):
            rendered[(environment, name, key_of(context))] += 1
            return render(context)

        inner = memoized(name, key_of, counted_render, environment)

        def root_render_func(context):
            included[name] += 1
            return inner(context)

        return root_render_func

    monkeypatch.setattr(template_memo, "_memoized", counting)
    with_memo = _build(repo, "site-memo")
    monkeypatch.setattr(template_memo, "MemoTemplate", jinja2.Template)  # what hooks/template_cache.py sets
    pages = []  # what the build without the memo rendered (none taken from the build before)
    render = jinja2.Template.render
    monkeypatch.setattr(jinja2.Template, "render", lambda self, *a, **k: pages.append(self.name) or render(self, *a, **k))
    without = _build(repo, "site-plain")
    assert pages.count("main.html") + pages.count("infohub/news-post.html") \
        >= sum(1 for name in without if name.startswith("kantorcontoh/berita/2025/"))

    assert sorted(with_memo) == sorted(without)
    assert [name for name in with_memo if with_memo[name] != without[name]] == []
    # pages at several depths, in both languages, in the navigation and not (news posts)
    assert {"kantorcontoh/index.html", "kantorcontoh/en/index.html", "kantorcontoh/biaya/index.html",
            "kantorcontoh/berita/2025/layanan-akhir-pekan/index.html",
            "kantorcontoh/en/berita/2025/layanan-akhir-pekan/index.html"} <= set(with_memo)
    # each partial rendered at most once per key in a build, and kept for many pages
    assert [key for key, times in rendered.items() if times > 1 and key[2] is not template_memo.NO_MEMO] == []
    search = [key for key in rendered if key[1] == "partials/search.html"]
    assert len(search) == 4  # one per language build: two sites, two languages
    assert included["partials/search.html"] > 10 * len(search)
    assert included["partials/nav.html"] > sum(1 for key in rendered if key[1] == "partials/nav.html")


class _Item:
    is_section, is_page = False, True

    def __init__(self, url: str):
        self.url, self.active, self.title, self.file = url, False, url, url


class _Nav:
    def __init__(self, *items: _Item):
        self.items, self.homepage = list(items), items[0]

    def __bool__(self):
        return True


class _Theme(dict):
    language = "en"


class _Config:
    def __init__(self):
        self.extra, self.theme = {}, _Theme(language="en")


def _url(context, value: str) -> str:
    """MkDocs' url filter (relative to the page) without the engine."""
    page = context["page"].url.strip("/").split("/")
    target = value.strip("/").split("/")
    common = 0
    while common < min(len(page), len(target)) and page[common] == target[common]:
        common += 1
    return ("/".join([".."] * (len(page) - common) + target[common:]) or ".") + "/"


@pytest.fixture
def nav_env():
    env = jinja2.Environment(loader=jinja2.DictLoader({
        "partials/nav.html": "{% for item in nav.items %}{{ item.url | url }}"
                             "{% if item == page %}={% endif %}{% if item.active %}*{% endif %} {% endfor %}",
        "page.html": "{% include 'partials/nav.html' %}",
    }))
    env.filters["url"] = jinja2.pass_context(_url)
    env.template_class = template_memo.MemoTemplate
    return env


def _render(env, nav, url: str, page=None) -> str:
    return env.get_template("page.html").render(nav=nav, page=page or _Item(url), config=_Config())


def test_the_navigation_is_kept_by_the_addresses_it_shows_relative_to_the_page(nav_env):
    news, listing = _Item("berita/"), _Item("berita/2025/a/lampiran/")
    nav = _Nav(_Item("beranda/"), news, listing)
    # siblings at one depth: the same addresses, one render
    assert _render(nav_env, nav, "berita/2025/b/") == "../../../beranda/ ../../ ../a/lampiran/ "
    assert _render(nav_env, nav, "berita/2025/c/") == "../../../beranda/ ../../ ../a/lampiran/ "
    # a sibling one of whose links passes through it, another depth, another folder
    assert _render(nav_env, nav, "berita/2025/a/") == "../../../beranda/ ../../ lampiran/ "
    assert _render(nav_env, nav, "berita/2024/x/") == "../../../beranda/ ../../ ../../2025/a/lampiran/ "
    assert _render(nav_env, nav, "kategori/x/") == "../../beranda/ ../../berita/ ../../berita/2025/a/lampiran/ "
    # a page of the navigation, and an active item: rendered as they are
    assert _render(nav_env, nav, "", page=news) == "../beranda/ ./= 2025/a/lampiran/ "
    news.active = True
    assert _render(nav_env, nav, "berita/2025/d/") == "../../../beranda/ ../../* ../a/lampiran/ "
    news.active = False
    assert _render(nav_env, nav, "berita/2025/e/") == "../../../beranda/ ../../ ../a/lampiran/ "
    # kept: b's (for c and e too), a's, 2024/x's, kategori/x's
    assert len([key for key in template_memo._memo(nav_env) if key[0] == "partials/nav.html"]) == 4


def test_a_memo_belongs_to_its_environment(nav_env):
    other = jinja2.Environment(loader=nav_env.loader)
    other.filters["url"] = jinja2.pass_context(lambda context, value: "/" + value)
    other.template_class = template_memo.MemoTemplate
    nav = _Nav(_Item("beranda/"))
    assert _render(nav_env, nav, "berita/2025/b/") == "../../../beranda/ "
    assert _render(other, nav, "berita/2025/b/") == "/beranda/ "


@pytest.mark.parametrize("name", sorted(template_memo.READS))
def test_each_memoized_partial_reads_what_its_key_was_written_for(name):
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(THEME))
    env.filters["url"] = lambda value: value
    source = env.loader.get_source(env, name)[0]
    assert jinja2.meta.find_undeclared_variables(env.parse(source)) == template_memo.READS[name]


def test_every_memoized_partial_and_what_it_includes_are_in_reads():
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(THEME))
    env.filters["url"] = lambda value: value
    for name in template_memo.KEYS:
        assert name in template_memo.READS
        included = jinja2.meta.find_referenced_templates(env.parse(env.loader.get_source(env, name)[0]))
        # a name made at render time is an icon (".icons/" ~ icon ~ ".svg"): no Jinja in it
        assert {n for n in included if n is not None} <= set(template_memo.READS) | {"partials/toc.html"}


def test_a_partial_the_same_in_a_build_reads_only_what_a_build_keeps():
    kept = {"config", "features", "lang", "t", "infohub", "infohub_feeds"}
    assert [name for name in template_memo.SAME_IN_BUILD if not template_memo.READS[name] <= kept] == []


def test_an_icon_with_jinja_in_it_is_rendered_each_time():
    env = jinja2.Environment(loader=jinja2.DictLoader({".icons/plain.svg": "<svg/>", ".icons/odd.svg": "<svg>{{ x }}</svg>"}))
    env.template_class = template_memo.MemoTemplate
    assert env.get_template(".icons/plain.svg")._same_in_build
    odd = env.get_template(".icons/odd.svg")
    assert not odd._same_in_build
    assert (odd.render(x=1), odd.render(x=2)) == ("<svg>1</svg>", "<svg>2</svg>")


def test_compiled_templates_are_kept_for_the_next_environment_by_folder(tmp_path):
    loader = jinja2.DictLoader({"a.html": "{{ x }}!"})
    (tmp_path / "one").mkdir()
    (tmp_path / "escaped").mkdir()
    first = jinja2.Environment(loader=loader, bytecode_cache=KeptBytecodeCache(str(tmp_path / "one")))
    assert first.get_template("a.html").render(x=1) == "1!"
    for file in (tmp_path / "one").iterdir():
        file.write_bytes(b"damaged")  # not read again: the process keeps what it compiled
    second = jinja2.Environment(loader=loader, bytecode_cache=KeptBytecodeCache(str(tmp_path / "one")))
    assert second.get_template("a.html").render(x=2) == "2!"
    # another folder (another setting of autoescape) has its own
    escaping = jinja2.Environment(loader=loader, autoescape=True,
                                  bytecode_cache=KeptBytecodeCache(str(tmp_path / "escaped")))
    assert escaping.get_template("a.html").render(x="<") == "&lt;!"


def test_a_memoized_partial_imported_as_a_module_keeps_the_names_it_sets():
    env = jinja2.Environment(loader=jinja2.DictLoader({
        "partials/search.html": "{% set icon = 'lup' %}[{{ icon }}]",
        "page.html": "{% include 'partials/search.html' %}{% include 'partials/search.html' %}"
                     "{% import 'partials/search.html' as search %}{{ search.icon }}",
    }))
    env.template_class = template_memo.MemoTemplate
    assert env.get_template("page.html").render() == "[lup][lup]lup"


def test_a_memo_goes_with_its_environment_though_a_kept_language_module_holds_it():
    import gc
    import weakref

    env = jinja2.Environment(loader=jinja2.DictLoader({
        "partials/language.html": "{% macro t(key) %}{{ key }}!{% endmacro %}",
        "page.html": "{% import 'partials/language.html' as lang with context %}{{ lang.t('a') }}{{ lang.t('a') }}",
    }))
    env.template_class = template_memo.MemoTemplate
    assert env.get_template("page.html").render(config=_Config()) == "a!a!"
    gone = weakref.ref(env)
    del env
    gc.collect()
    assert gone() is None
