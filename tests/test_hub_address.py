"""No placeholder reaches the public: the hub's address (offices/_hub/mkdocs.yml site_url).

While it is an example address, the offices' pages leave out their links to the hub, a local
check warns, and the deploy workflow's `make check PRODUCTION=1` refuses, with file and line.
"""
from __future__ import annotations

from pathlib import Path

import yaml

from infohub import cli
from infohub.build import build_sites
from infohub.hub_address import is_placeholder

ROOT = Path(__file__).resolve().parents[1]
REAL = "https://portal-imigrasi.id/"  # test data: an address on a name that is not reserved


def test_reserved_names_are_placeholders():
    for url in ("https://infohub.example.org/", "https://example.com", "https://portal.test/", "http://localhost:8000/",
                "https://x.invalid/", "", "not a url"):
        assert is_placeholder(url), url
    assert not is_placeholder(REAL) and not is_placeholder("https://examples.org.id/")


def test_a_local_check_warns_and_a_production_check_refuses_with_file_and_line(repo, monkeypatch, capsys):
    monkeypatch.setenv("INFOHUB_ROOT", str(repo))
    assert cli.main(["check", "--office", "kantorcontoh"]) == 0  # the hub is not checked with one office
    assert "_hub" not in capsys.readouterr().out
    assert cli.main(["check"]) == 0
    assert ("PERINGATAN  offices/_hub/mkdocs.yml\n  baris 5  (peringatan) site_url: alamat portal "
            "'https://infohub.example.org/' adalah alamat contoh yang tidak dapat dibuka pembaca") in capsys.readouterr().out
    monkeypatch.setenv("INFOHUB_LANG", "en")
    assert cli.main(["check", "--production"]) == 1
    assert ("ERROR  offices/_hub/mkdocs.yml\n  line 5  site_url: a deploy needs the hub's public address, but "
            "'https://infohub.example.org/' is a placeholder no reader can open; set site_url to the hub's real "
            "https address") in capsys.readouterr().out


def test_a_real_address_passes_the_production_check(repo, monkeypatch, capsys):
    config = repo / "offices" / "_hub" / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("https://infohub.example.org/", REAL), encoding="utf-8")
    monkeypatch.setenv("INFOHUB_ROOT", str(repo))
    assert cli.main(["check", "--production"]) == 0
    assert "site_url" not in capsys.readouterr().out


def office_pages_linking(repo: Path, address: str) -> list[str]:
    site = repo / "site" / "kantorcontoh"
    return sorted(str(p.relative_to(site)) for p in site.rglob("*.html") if f'href="{address}' in p.read_text("utf-8"))


def test_office_pages_link_the_hub_only_once_its_address_is_set(repo):
    results = build_sites(["kantorcontoh"], repo / "site", jobs=1, root=repo, echo=lambda _: None)
    assert all(r.ok for r in results)
    assert office_pages_linking(repo, "https://infohub.example.org") == []
    config = repo / "offices" / "_hub" / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("https://infohub.example.org/", REAL), encoding="utf-8")
    # the office is built again for it: its inputs include the hub's mkdocs.yml
    results = build_sites(["kantorcontoh"], repo / "site", jobs=1, root=repo, echo=lambda _: None)
    assert all(r.ok and not r.skipped for r in results)
    linking = office_pages_linking(repo, REAL)
    assert "index.html" in linking and "en/faq/index.html" in linking


def test_the_deploy_workflow_checks_as_production():
    flow = yaml.safe_load((ROOT / ".github" / "workflows" / "deploy.yml").read_text(encoding="utf-8"))
    steps = [step.get("run", "") for step in flow["jobs"]["build"]["steps"]]
    assert "make check PRODUCTION=1" in steps
