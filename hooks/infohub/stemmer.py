"""An Indonesian stemmer: Nazief–Adriani confix stripping with the ECS rules.

Indonesian builds words around a root with prefixes (me-, ber-, di-, ter-,
pe-, ke-, se-, whose last consonant changes before the root: mem-, men-,
meng-, meny-), suffixes (-kan, -an, -i), particles (-lah, -kah, -tah, -pun)
and possessives (-ku, -mu, -nya). The algorithm of Nazief and Adriani (1996),
refined as confix stripping by Asian et al. (2007) and Arifin et al. (2009,
"ECS"), strips them in a fixed order and checks each remainder against a
dictionary of roots; a word whose root is not found is left as it is.

The same rules run in the browser (overrides/assets/javascripts/lunr/min/
lunr.id.min.js) for queries and for the search index; tests/search/stems.tsv
holds the pairs both implementations must agree on. Change both together.
"""
from __future__ import annotations

import functools
from pathlib import Path

DATA = Path(__file__).parent / "data"
VOWELS = frozenset("aiueo")
PARTICLES = ("lah", "kah", "tah", "pun")
POSSESSIVES = ("nya", "ku", "mu")
# Prefix and suffix pairs that never form one word (Nazief–Adriani).
FORBIDDEN_CONFIXES = frozenset({("be", "i"), ("di", "an"), ("ke", "i"), ("ke", "kan"),
                                ("me", "an"), ("se", "i"), ("se", "kan"), ("te", "an")})
MAX_PREFIXES = 3


def _word_list(name: str) -> frozenset[str]:
    words = set()
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip().lower()
        if line:
            words.add(line)
    return frozenset(words)


@functools.lru_cache(maxsize=None)
def roots() -> frozenset[str]:
    """The root-word dictionary (data/id-roots.txt)."""
    return _word_list("id-roots.txt")


@functools.lru_cache(maxsize=None)
def stop_words() -> frozenset[str]:
    """Words too common to search for (data/id-stopwords.txt)."""
    return _word_list("id-stopwords.txt")


def _vowel(ch: str) -> bool:
    return ch in VOWELS


def _consonant(ch: str) -> bool:
    return ch.isalpha() and ch not in VOWELS


def _at(word: str, i: int) -> str:
    return word[i] if i < len(word) else ""


def prefix_options(word: str) -> list[tuple[str, str]]:
    """(prefix kind, remainder) pairs the disambiguation rules allow, most likely first."""
    w, c = word, lambda i: _at(word, i)
    if w.startswith(("di", "ke", "se")):
        return [(w[:2], w[2:])]
    if w.startswith("be"):
        if w.startswith("ber"):
            if _vowel(c(3)):
                return [("be", w[3:]), ("be", w[2:])]  # ber-V | be-rV
            return [("be", w[3:])] if _consonant(c(3)) and c(3) != "r" else []
        if w.startswith("belajar"):
            return [("be", w[3:])]
        if _consonant(c(2)) and c(2) not in "rl" and w[3:5] == "er" and _consonant(c(5)):
            return [("be", w[2:])]  # be-kerja
        return []
    if w.startswith("te"):
        if w.startswith("ter"):
            if _vowel(c(3)):
                return [("te", w[3:]), ("te", w[2:])]
            return [("te", w[3:])] if _consonant(c(3)) and c(3) != "r" else []
        if _consonant(c(2)) and c(2) != "r" and w[3:5] == "er" and _consonant(c(5)):
            return [("te", w[2:])]
        return []
    if w.startswith("me"):
        return _nasal_options("me", w)
    if w.startswith("pe"):
        if c(2) in ("w", "y") and _vowel(c(3)):
            return [("pe", w[2:])]
        if w.startswith("per"):
            if _vowel(c(3)):
                return [("pe", w[3:]), ("pe", w[2:])]
            return [("pe", w[3:])] if _consonant(c(3)) and c(3) != "r" else []
        if w.startswith("pelajar"):
            return [("pe", w[3:])]
        if c(2) == "l":
            return [("pe", w[2:])]  # pe-layan
        if c(2) in ("m", "n"):
            return _nasal_options("pe", w)
        if _consonant(c(2)) and c(2) not in "rwylmn":
            return [("pe", w[2:])]  # pe-tugas
        return []
    return []


def _nasal_options(kind: str, w: str) -> list[tuple[str, str]]:
    """me- and pe- with the nasal that assimilates to the root's first sound."""
    c = lambda i: _at(w, i)  # noqa: E731
    if kind == "me" and c(2) in ("l", "r", "w", "y") and _vowel(c(3)):
        return [("me", w[2:])]  # me-lihat
    if w[2:3] == "m":
        if c(3) in ("b", "f", "v"):
            return [(kind, w[3:])]  # mem-baca
        if w[3:5] == "pe":
            return [(kind, w[3:])]  # mem-perpanjang
        if c(3) == "p" and _vowel(c(4)):
            return [(kind, w[3:])]  # mem-punya
        if _vowel(c(3)) or (c(3) == "r" and _vowel(c(4))):
            return [(kind, "m" + w[3:]), (kind, "p" + w[3:])]  # me-minta | mem-pakai
        return []
    if w[2:3] == "n":
        if w[2:4] == "ng":
            if c(4) in ("g", "h", "q", "k"):
                return [(kind, w[4:])]  # meng-ganti
            if w[4:5] == "e" and _consonant(c(5)):
                return [(kind, w[5:]), (kind, w[4:]), (kind, "k" + w[4:])]  # menge-cek
            if _vowel(c(4)):
                return [(kind, w[4:]), (kind, "k" + w[4:])]  # meng-ambil | meng-kirim
            return []
        if w[2:4] == "ny" and _vowel(c(4)):
            return [(kind, "s" + w[4:]), (kind, w[2:])]  # meny-sampai | me-nyanyi
        if c(3) in ("c", "d", "j", "s", "t", "z"):
            return [(kind, w[3:])]  # men-cari
        if _vowel(c(3)):
            return [(kind, "n" + w[3:]), (kind, "t" + w[3:])]  # me-nilai | men-tulis
        return []
    return []


def _strip_suffix(word: str, suffixes: tuple[str, ...]) -> str | None:
    for suffix in suffixes:
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            return word[: -len(suffix)]
    return None


def _derivational_options(word: str) -> list[tuple[str, str]]:
    """(remainder, suffix) for -kan, -an, -i; a -kan word may also be root+k+-an."""
    if word.endswith("kan") and len(word) > 4:
        return [(word[:-3], "kan"), (word[:-2], "an")]
    if word.endswith("an") and len(word) > 3:
        return [(word[:-2], "an")]
    if word.endswith("i") and len(word) > 2:
        return [(word[:-1], "i")]
    return []


def _strip_prefixes(word: str, suffix: str | None, finish, depth: int = 0, previous: str = "") -> str | None:
    if depth == MAX_PREFIXES:
        return None
    for kind, rest in prefix_options(word):
        if kind == previous or (kind, suffix) in FORBIDDEN_CONFIXES or len(rest) < 2:
            continue
        found = finish(rest)
        if found:
            return found
        found = _strip_prefixes(rest, suffix, finish, depth + 1, kind)
        if found:
            return found
    return None


def _in_roots(word: str) -> str | None:
    return word if word in roots() else None


def _inflections(word: str) -> list[str]:
    """The word, without its particle, then without its possessive too."""
    forms = [word]
    bare = _strip_suffix(word, PARTICLES)
    if bare:
        forms.append(bare)
        word = bare
    bare = _strip_suffix(word, POSSESSIVES)
    if bare:
        forms.append(bare)
    return forms


def _suffixes_only(word: str) -> str | None:
    """The root reached by removing suffixes alone."""
    for form in _inflections(word):
        if form in roots():
            return form
    for rest, _ in _derivational_options(_inflections(word)[-1]):
        if rest in roots():
            return rest
    return None


def _suffix_first(word: str) -> str | None:
    forms = _inflections(word)
    for form in forms[1:]:
        if form in roots():
            return form
    bare = forms[-1]
    for rest, suffix in _derivational_options(bare):
        if rest in roots():
            return rest
        found = _strip_prefixes(rest, suffix, _in_roots)
        if found:
            return found
    # ECS: put the suffixes back one at a time and try the prefixes again.
    for form in reversed(forms):
        found = _strip_prefixes(form, None, _in_roots)
        if found:
            return found
    return None


def _prefix_first(word: str) -> str | None:
    return _strip_prefixes(word, None, _suffixes_only)


def _prefix_takes_precedence(word: str) -> bool:
    """ECS: be-…-lah, be-…-an, me-…-i, di-…-i, pe-…-i and te-…-i strip the prefix first."""
    if word.startswith("be") and word.endswith(("lah", "an")):
        return True
    return word.startswith(("di", "me", "pe", "te")) and word.endswith("i")


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The root of a lowercase Indonesian word, or the word itself when none is known."""
    if len(word) < 4 or not word.isalpha() or not word.isascii() or word in roots():
        return word
    strategies = (_prefix_first, _suffix_first) if _prefix_takes_precedence(word) else (_suffix_first,)
    for strategy in strategies:
        found = strategy(word)
        if found:
            return found
    return word
