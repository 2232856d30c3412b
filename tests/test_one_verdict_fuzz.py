"""One verdict, both ways, on generated offices: `make check` refuses it, or `make site` builds it.

Each case is a whole office folder drawn by fuzz_inputs.office_folders (office.yml,
a news post, maybe its English twin, a page; valid from the schema, with hostile
values, then maybe mutated). For each:

- the check (checks.site_report, what `make check` runs for one office) returns
  a report, never raises, and every problem reads as a sentence in both languages,
  one line per problem in GitHub's annotations;
- when it finds no error, the build (build.build_site, what `make site` runs for
  one site: the same check, then MkDocs with the project's hooks) succeeds and
  writes the site. (When it finds one, build_site refuses the site by the same
  function: nothing more to test.)
- each stays within a time bound (a property of its own: untrusted input must not
  cost unbounded time).

Cost: the office is kept small (one post, one page) and the fixture repository is
made once; a case the check refuses takes about 0.1 s, one it accepts about 0.5 s
per language. Settings, from the environment:

  INFOHUB_FUZZ_EXAMPLES  cases to run (default 150, for `make test`; `make fuzz`: 10000)
  INFOHUB_FUZZ_SEED      a seed to draw other cases than the fixed default ones (the
                         nightly job uses its run number; the same seed draws the same cases)
  INFOHUB_FUZZ_SURVEY    a file: record every failing case there (JSON lines, one per case)
                         and go on, to list every kind of failure of a branch in one run;
                         the test still fails at the end if any case failed
  INFOHUB_FUZZ_CHECK_SECONDS / INFOHUB_FUZZ_BUILD_SECONDS   the time bounds (10 and 60)
"""
from __future__ import annotations

import collections
import contextlib
import json
import os
import shutil
import signal
import time
import traceback
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, event, given, seed, settings

from conftest import make_repo
from fuzz_inputs import SLUG, OfficeFolder, office_folders
from infohub.build import _worker_init, build_site
from infohub.checks import site_report

EXAMPLES = int(os.environ.get("INFOHUB_FUZZ_EXAMPLES", "150"))
SEED = os.environ.get("INFOHUB_FUZZ_SEED")
SURVEY = os.environ.get("INFOHUB_FUZZ_SURVEY")
CHECK_SECONDS = float(os.environ.get("INFOHUB_FUZZ_CHECK_SECONDS", "10"))
BUILD_SECONDS = float(os.environ.get("INFOHUB_FUZZ_BUILD_SECONDS", "60"))
EPOCH = "1735689600"
PROGRESS_EVERY = 250
IMAGE = Path(__file__).resolve().parent / "fixtures/repo/offices/kantorcontoh/docs/berita/2025/gambar/hari-terbuka.png"


class TookTooLong(BaseException):
    """Raised by the alarm: a BaseException, so that no `except Exception` in the code under test swallows it."""


@contextlib.contextmanager
def time_limit(seconds: float, what: str):
    def ring(signum, frame):
        raise TookTooLong(f"{what} took longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class Verdicts:
    """Writes each case into the office's folder, then asks the check and, if it passes, the build."""

    def __init__(self, repo: Path, site_root: Path):
        self.repo, self.site_root = repo, site_root
        self.office = repo / "offices" / SLUG
        self.clock = time.time_ns()

    def write(self, case: OfficeFolder) -> None:
        (self.office / "office.yml").unlink(missing_ok=True)
        shutil.rmtree(self.office / "docs", ignore_errors=True)
        for folder in ("docs/gambar", "docs/berita/2025/gambar"):  # 'gambar/foto.png' exists beside each page
            (self.office / folder).mkdir(parents=True)
            shutil.copyfile(IMAGE, self.office / folder / "foto.png")
        for name, body in case.files.items():
            file = self.office / name
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_text(body, encoding="utf-8", errors="surrogatepass")
            # load_page and others keep what they read by size and modification time: two
            # cases of one size written within the file system's clock tick must not look alike
            self.clock += 1_000_000
            os.utime(file, ns=(self.clock, self.clock))

    def __call__(self, case: OfficeFolder) -> str:
        self.write(case)
        with time_limit(CHECK_SECONDS, "the check"):
            report = site_report(SLUG, self.repo)
        for problem in report.problems:
            assert problem.text("id").strip() and problem.text("en").strip(), problem
        for lang in ("id", "en"):
            assert bool(report.format(lang, outcome="kept_previous")) == bool(report.problems)
            # one workflow command a line: GitHub's runner ends a line at \n or \r, nothing else
            annotations = report.github_annotations(lang)
            assert "\r" not in annotations and len(annotations.split("\n")) == len(report.problems or [""])
        if report.errors:
            return "refused by the check"
        shutil.rmtree(self.site_root / SLUG, ignore_errors=True)
        with time_limit(BUILD_SECONDS, "the build"):
            result = build_site(SLUG, self.site_root, self.repo, EPOCH)
        assert result.ok, f"the check passed, the build failed:\n{result.report}"
        assert (self.site_root / SLUG / "index.html").is_file()
        return "built"


def failure_kind(exc: BaseException) -> str:
    """What a failure is, without the case's values: the exception and where it was raised."""
    if isinstance(exc, AssertionError):
        first = str(exc).splitlines()
        return "AssertionError: " + (first[1] if len(first) > 1 and first[0].startswith("the check passed") else
                                     first[0] if first else "")[:200]
    frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    where = f" at {Path(frame.filename).name}:{frame.lineno} ({frame.name})" if frame else ""
    return f"{type(exc).__name__}{where}"


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="the time bounds need SIGALRM (not on Windows)")
def test_check_refuses_it_or_site_builds_it(tmp_path, monkeypatch):
    repo = make_repo(tmp_path / "repo")
    for post in (repo / "offices" / SLUG / "docs").rglob("*.md"):
        post.unlink()  # the office is the generated one alone: a small site, a quick build
    monkeypatch.setenv("INFOHUB_CACHE_DIR", str(tmp_path / "site" / ".cache"))
    _worker_init()  # as the build driver prepares a worker: theme listing reused from one case to the next
    verdict = Verdicts(repo, tmp_path / "site")
    outcomes: collections.Counter[str] = collections.Counter()
    start = time.perf_counter()
    failed: list[dict] = []

    @settings(
        max_examples=EXAMPLES,
        database=None,  # nothing kept between runs: a run is reproduced by its seed
        derandomize=SEED is None,  # `make test` and CI: the same cases every run
        deadline=None,  # time is bounded by time_limit, with bounds meant for input, not for a busy machine
        # a case draws a whole office folder (office.yml, three Markdown files): larger than
        # Hypothesis expects of one example, and slower to draw, by design
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
        # a survey goes on after a failure: shrinking each one would cost more than the run
        phases=[Phase.explicit, Phase.generate] if SURVEY else list(Phase),
        print_blob=True,
    )
    @given(office_folders())
    def one_case(case: OfficeFolder) -> None:
        try:
            outcome = verdict(case)
        except (Exception, TookTooLong) as exc:
            if not SURVEY:
                if isinstance(exc, TookTooLong):
                    raise AssertionError(str(exc)) from None
                raise
            outcome = "failed"
            failed.append({"kind": failure_kind(exc), "error": "".join(traceback.format_exception_only(exc))[:4000],
                           "case": case.files})
            with open(SURVEY, "a", encoding="utf-8") as log:
                log.write(json.dumps(failed[-1], ensure_ascii=False) + "\n")
        outcomes[outcome] += 1
        event(outcome)
        if sum(outcomes.values()) % PROGRESS_EVERY == 0:  # seen with pytest -s (make fuzz): a long run shows it is alive
            print(f"{sum(outcomes.values())} cases, {time.perf_counter() - start:.0f} s: {dict(outcomes)}", flush=True)

    if SEED is not None:
        one_case = seed(int(SEED))(one_case)
    one_case()
    seconds = time.perf_counter() - start
    cases = sum(outcomes.values())
    print(f"\none verdict, both ways: {cases} cases in {seconds:.0f} s ({cases / seconds:.1f}/s): "
          + ", ".join(f"{n} {outcome}" for outcome, n in outcomes.most_common()))
    kinds = collections.Counter(f["kind"] for f in failed)
    assert not failed, "\n".join(f"{n} × {kind}" for kind, n in kinds.most_common())


# --- what the fuzz test found, kept as exact tests ----------------------------------------------


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_social_account_an_office_may_name_has_its_label(lang):
    """social.linkedin passed the check, then every page failed: the footer's label was missing."""
    from infohub import messages
    from infohub.schema import Social

    assert [net for net in Social.model_fields if not messages.has(f"social.{net}", lang)] == []
