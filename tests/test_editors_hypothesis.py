"""Bad input, measured: random and hostile office data and front matter give a
clear problem or a good build, never a traceback and never a half-written site."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from infohub.build import build_sites
from infohub.checks import Scope, run_checks
from infohub.content import load_national, load_office, load_page
from infohub.problems import Problem

from conftest import make_repo

FIXTURE_OFFICE = Path(__file__).resolve().parent / "fixtures/repo/offices/kantorcontoh/office.yml"
BASE = yaml.safe_load(FIXTURE_OFFICE.read_text(encoding="utf-8"))
NATIONAL, _ = load_national(Path(__file__).resolve().parents[1])

hostile_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["10:00", "9-5", "08.00-11.30", "350.000", "Rp 350.000,-", "2025-13-01", "yes", "~", "null",
                     "<script>alert(1)</script>", "\t", "\ufeff", "\r\n", "0812-3456-7890", "3171011708450001",
                     "{{ config }}", "../../etc/passwd", "Asia/Jakarta", "WIB", "'", '"', "- a", ": b", "&a [b]"]),
)
scalars = st.one_of(hostile_text, st.integers(), st.floats(allow_nan=True), st.booleans(), st.none())
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                         st.dictionaries(hostile_text, inner, max_size=3)),
                      max_leaves=8)
keys = st.sampled_from(sorted(BASE) + ["unknown", "Name", "hours.friday", "contact.phone", "fees.overrides"])


def mutated_office(key: str, value) -> str:
    data = yaml.safe_load(FIXTURE_OFFICE.read_text(encoding="utf-8"))
    target = data
    *parents, last = key.split(".")
    for part in parents:
        target = target.setdefault(part, {}) if isinstance(target.get(part), dict) or part not in target else {}
    target[last] = value
    return yaml.safe_dump(data, allow_unicode=True)


def assert_problems(found: list) -> None:
    for problem in found:
        assert isinstance(problem, Problem)
        assert problem.text("id") and problem.text("en")  # a sentence in both languages, not a KeyError


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(keys, values)
def test_office_data_gives_an_office_or_problems(key, value):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "offices" / "kantorcontoh"
        folder.mkdir(parents=True)
        (folder / "office.yml").write_text(mutated_office(key, value), encoding="utf-8")
        office, found = load_office("kantorcontoh", NATIONAL, Path(tmp))
        assert_problems(found)
        assert office is not None or any(p.severity == "error" for p in found)


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.text(max_size=300), st.binary(max_size=200).map(lambda b: b.decode("latin-1"))))
def test_any_office_yml_text_gives_an_office_or_problems(text):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "offices" / "kantorcontoh"
        folder.mkdir(parents=True)
        (folder / "office.yml").write_text(text, encoding="utf-8", errors="surrogatepass")
        office, found = load_office("kantorcontoh", NATIONAL, Path(tmp))
        assert_problems(found)
        assert office is None or not [p for p in found if p.severity == "error"]


front_matter = st.dictionaries(st.sampled_from(["title", "date", "updated", "category", "draft", "image", "social",
                                                "hashtags", "hide", "search", "unknown"]), values, max_size=5)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(front_matter, st.text(max_size=200))
def test_front_matter_and_body_give_a_page_or_problems_and_checks_never_crash(meta, body):
    with tempfile.TemporaryDirectory() as tmp:
        repo = make_repo(Path(tmp) / "repo")
        post = repo / "offices/kantorcontoh/docs/berita/2025/acak.md"
        post.write_text("---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n" + body, encoding="utf-8")
        source, found = load_page(post)
        assert_problems(found)
        assert (source is None) == bool(found)
        assert_problems(run_checks(Scope(repo, ["kantorcontoh"], include_hub=False)))


@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(keys, values, front_matter)
def test_the_build_is_whole_or_not_at_all(key, value, meta):
    with tempfile.TemporaryDirectory() as tmp:
        repo = make_repo(Path(tmp) / "repo")
        site_root = Path(tmp) / "site"
        good = build_sites(["kantorcontoh"], site_root, jobs=1, root=repo, echo=lambda _: None)[0]
        assert good.ok, good.report
        before = sorted(p.relative_to(site_root).as_posix() for p in (site_root / "kantorcontoh").rglob("*"))
        (repo / "offices/kantorcontoh/office.yml").write_text(mutated_office(key, value), encoding="utf-8")
        post = repo / "offices/kantorcontoh/docs/berita/2025/acak.md"
        post.write_text("---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\nIsi.\n", encoding="utf-8")
        result = build_sites(["kantorcontoh"], site_root, jobs=1, root=repo, echo=lambda _: None, force=True)[0]
        out = site_root / "kantorcontoh"
        assert not list(site_root.glob(".staging-*")) and not list(site_root.glob(".previous-*"))
        assert (out / "index.html").is_file() and (out / "en" / "index.html").is_file()
        if result.ok:
            assert "Traceback" not in (result.report or "")
        else:
            assert result.report and "Traceback" not in result.report
            assert sorted(p.relative_to(site_root).as_posix() for p in out.rglob("*")) == before
        shutil.rmtree(site_root, ignore_errors=True)
