"""The Indonesian stemmer: the shared table passes in Python and in JavaScript."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from infohub.stemmer import roots, stem, stop_words

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / "tests" / "search" / "stems.tsv"


def _table() -> list[tuple[str, str]]:
    pairs = []
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            word, expected = line.split("\t")
            pairs.append((word, expected))
    return pairs


def test_table_has_at_least_200_pairs():
    assert len(_table()) >= 200


def test_python_stemmer_gives_the_table():
    wrong = [f"{w}: expected {e}, got {stem(w)}" for w, e in _table() if stem(w) != e]
    assert wrong == []


@pytest.mark.parametrize("word, root", [
    ("pelayanan", "layan"), ("layanan", "layan"), ("memperpanjang", "panjang"),
    ("perpanjangan", "panjang"), ("kehilangan", "hilang"), ("menyanyi", "nyanyi"),
])
def test_derived_forms_meet_at_their_root(word, root):
    assert stem(word) == root


def test_words_without_a_known_root_stay_as_written():
    assert stem("paspor") == "paspor"
    assert stem("renewal") == "renewal"
    assert stem("mpaspor") == "mpaspor"
    assert stem("rp350") == "rp350"


def test_stop_words_are_not_roots_and_cover_the_commonest():
    assert {"yang", "dan", "di", "ke", "dari", "untuk"} <= stop_words()
    assert "layan" in roots() and "yang" not in roots()


def test_javascript_stemmer_gives_the_table():
    node = shutil.which("node")
    assert node, "Node.js is needed for the browser side of the stemmer"
    run = subprocess.run([node, "--test", str(ROOT / "tests" / "search" / "stemmer.test.js")],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_dictionary_states_its_size():
    text = (ROOT / "hooks" / "infohub" / "data" / "id-roots.txt").read_text(encoding="utf-8")
    assert f"# {len(roots())} roots" in text
