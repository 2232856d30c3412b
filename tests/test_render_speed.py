"""What the clean build's shortcuts (issue 23) must keep: the same output as the long way.

Each shortcut here does work once that was done many times; these tests hold it to the bytes the
plain way writes.
"""
from __future__ import annotations

import datetime as dt
import shutil

import pytest
import yaml

from conftest import ROOT
from infohub import cms_config, paths


class _PlainDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    """The configuration's YAML the general way: SafeRepresenter's dispatch, no references."""

    def ignore_aliases(self, data):
        return True


def _plain_yaml(config: dict) -> str:
    return yaml.dump(config, Dumper=_PlainDumper, allow_unicode=True, sort_keys=False, width=110)


def _editors_yaml(root) -> dict[tuple[str, str], str]:
    return {(editor, lang): cms_config.config_yaml(root, lang, False, editor)
            for editor, _ in cms_config.editors(root) for lang in ("id", "en")}


def test_config_yaml_writes_what_the_general_representer_writes():
    for editor in (cms_config.NATIONAL_EDITOR, paths.office_slugs(ROOT)[0]):
        for lang in ("id", "en"):
            text = cms_config.config_yaml(ROOT, lang, False, editor)
            body = text.split("\n", 1)[1]  # after the generated-file header
            assert body == _plain_yaml(cms_config.cms_config(ROOT, lang, False, editor))


def test_fast_representer_defers_to_safe_representer_for_other_values():
    data = {"when": dt.date(2025, 1, 2), "ratio": 0.5, "items": [True, None, 3, "x"], "nested": {"a": []}}
    ours = yaml.dump(data, Dumper=cms_config._Dumper, allow_unicode=True, sort_keys=False, width=110)
    assert ours == _plain_yaml(data)
    # sorted keys or a flow style chosen per node: SafeRepresenter decides, as before
    assert yaml.dump(data, Dumper=cms_config._Dumper, sort_keys=True) == yaml.dump(data, Dumper=_PlainDumper)
    assert (yaml.dump(data, Dumper=cms_config._Dumper, default_flow_style=None, sort_keys=False)
            == yaml.dump(data, Dumper=_PlainDumper, default_flow_style=None, sort_keys=False))


def test_write_admin_shares_office_forms_without_changing_any_config(tmp_path):
    """write_admin makes an office.yml's form once for all editors; each config.yml is still
    the one config_yaml writes alone."""
    if cms_config.cms_script(ROOT) is None:
        pytest.skip("the CMS is not installed (tools/cms)")
    site_dir = tmp_path / "site"
    assert cms_config.write_admin(site_dir, ROOT) is None
    assert cms_config._shared_parts is None  # the shared fields last one write_admin only
    expected = _editors_yaml(ROOT)
    for (editor, lang), text in expected.items():
        folder = site_dir / "admin" / editor / ("en" if lang == "en" else "")
        assert (folder / "config.yml").read_text(encoding="utf-8") == text
    shutil.rmtree(site_dir)


def test_workers_prepared_by_the_parent_write_what_one_process_writes(repo, tmp_path, monkeypatch):
    """build_sites with two workers (forked after _prepare_workers imported and worked out in the
    parent what each worker needs) publishes the same bytes as a build in one process."""
    from test_clean_build import published

    from infohub import build

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    prepared = []
    original = build._prepare_workers
    monkeypatch.setattr(build, "_prepare_workers", lambda: prepared.append(True) or original())
    for module in build._WORKER_MODULES:  # each name still a module: the list follows the code
        __import__(module)
    one, two = tmp_path / "one" / "site", tmp_path / "two" / "site"
    build.build_sites(["hub", "kantorcontoh"], one, jobs=1, root=repo, echo=lambda _: None)
    assert prepared == []
    results = build.build_sites(["hub", "kantorcontoh"], two, jobs=2, root=repo, echo=lambda _: None)
    assert prepared == [True] and all(r.ok for r in results)
    assert published(two) == published(one)


def test_privacy_scan_skips_only_lines_that_cannot_hold_personal_data():
    """A line is skipped only when it has no digit and no '@': Unicode digits count as digits,
    as the patterns' \\d does."""
    from infohub.checks import privacy

    text = "\n".join([
        "Hubungi kami: budi.santoso@gmail.com",
        "Tanpa angka sama sekali.",
        "NIK 3171 0123 4567 8901 <!-- x -->",
        "Paspor X1234567 dan nomor 0812-3456-7890",
        "Nomor ٠٨١٢٣٤٥٦٧٨٩٠ (angka Arab)",
    ])
    found = privacy.scan_text(text, "offices/x/docs/a.md", privacy.Declared(), yaml=False)
    codes = [(p.line, p.code) for p in found]
    assert (1, "privacy_email") in codes and not [c for c in codes if c[0] == 2]
    original = privacy._MAY_HOLD
    try:
        privacy._MAY_HOLD = __import__("re").compile("")  # every line scanned: the same problems
        assert [(p.line, p.code, p.values) for p in privacy.scan_text(
            text, "offices/x/docs/a.md", privacy.Declared(), yaml=False)] == [(p.line, p.code, p.values) for p in found]
    finally:
        privacy._MAY_HOLD = original


def test_write_admin_writes_each_shared_list_of_fields_once_per_place(tmp_path, monkeypatch):
    """The lists of fields many configurations hold (an office.yml's form, a news post's fields...)
    are written as YAML once for each key and column they stand at, not once per configuration."""
    if cms_config.cms_script(ROOT) is None:
        pytest.skip("the CMS is not installed (tools/cms)")
    written, placed = [], []
    value_lines, plain_dump = cms_config._value_lines, cms_config._plain_dump

    def dump(data, placing=None, found=None):
        text = plain_dump(data, placing, found)
        placed.extend(found or [])
        return text

    monkeypatch.setattr(cms_config, "_value_lines", lambda *args: written.append((*args[:2], id(args[2]))) or value_lines(*args))
    monkeypatch.setattr(cms_config, "_plain_dump", dump)
    assert cms_config.write_admin(tmp_path / "site", ROOT) is None
    offices = len(paths.office_slugs(ROOT))
    # every office's editor: news, pages, office.yml; the national editor: every office's form and its news
    assert len(placed) == 2 * (3 * offices + offices + 1)
    assert len(written) == len(set(written)) <= 2 * 8


def test_a_value_that_reads_like_a_placeholder_is_written_as_it_is(repo, tmp_path):
    """An office named like the placeholder of a shared list: its configurations are written
    whole, the same as config_yaml alone writes them."""
    if cms_config.cms_script(repo) is None:
        pytest.skip("the CMS is not installed (tools/cms)")
    office = repo / "offices/kantorcontoh/office.yml"
    office.write_text(office.read_text(encoding="utf-8").replace("  id: Kantor Imigrasi Contoh",
                                                                 "  id: infohub-shared-fields-0", 1), encoding="utf-8")
    site_dir = tmp_path / "site"
    assert cms_config.write_admin(site_dir, repo) is None
    text = (site_dir / "admin/kantorcontoh/config.yml").read_text(encoding="utf-8")
    assert "label: infohub-shared-fields-0\n" in text
    for (editor, lang), expected in _editors_yaml(repo).items():
        folder = site_dir / "admin" / editor / ("en" if lang == "en" else "")
        assert (folder / "config.yml").read_text(encoding="utf-8") == expected, (editor, lang)
