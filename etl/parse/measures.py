"""Loads ``measures.yaml`` and maps printed labels to canonical measures by scope."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

_YAML = Path(__file__).with_name("measures.yaml")
_PAREN_RE = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_SPLIT_RE = re.compile(r"[\s/]+|(?<=[a-z])\.(?=[a-z])")
_STRIP = ".,;:'\"!?*\u2020()[]"

SCOPES = ("class", "pool", "deal", "delinquency")


@dataclass(frozen=True, slots=True)
class Measure:
    """One entry of measures.yaml."""

    name: str
    type: str
    scopes: tuple[str, ...]
    canonical: bool = True
    deduction: bool = False  # an amount taken away (a fee, a loss): never below zero by its nature


@dataclass(frozen=True, slots=True)
class Match:
    """A label's reading: which measure in which scope, and how strongly it matched."""

    measure: Measure
    score: int
    exact: bool


class Lexicon:
    """Label normalisation and lookup over the YAML's variants."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.synonyms: dict[str, str] = {str(k).lower(): str(v).lower() for k, v in data["synonyms"].items()}
        # "o/s" and the like must be replaced before words are split on "/"
        self._slash_synonyms = [(k, v) for k, v in self.synonyms.items() if "/" in k]
        self.stopwords = frozenset(str(w).lower() for w in data["stopwords"])
        self.contexts: dict[str, tuple[str, ...]] = {
            k: tuple(str(p).lower() for p in v) for k, v in data["contexts"].items()
        }
        self.measures: dict[str, Measure] = {}
        self.exact: dict[tuple[str, ...], list[Measure]] = {}
        self.by_last: dict[str, list[tuple[tuple[str, ...], Measure]]] = {}
        vocab: set[str] = set()
        for entry in data["measures"]:
            m = Measure(entry["name"], entry.get("type", "amount"), tuple(entry["scopes"]),
                        bool(entry.get("canonical", True)), entry.get("sign") == "deduction")
            self.measures[m.name] = m
            for label in entry["labels"]:
                words = self.normalize(str(label))
                if not words:
                    continue
                vocab.update(words)
                self.exact.setdefault(words, [])
                if m not in self.exact[words]:
                    self.exact[words].append(m)
                self.by_last.setdefault(words[-1], []).append((words, m))
        self.vocab = frozenset(vocab)

    @lru_cache(maxsize=8192)  # noqa: B019 - one Lexicon per process; labels repeat across reports
    def normalize(self, label: str) -> tuple[str, ...]:
        """Words of a label after removing asides and applying synonyms and stopwords."""
        text = label.lower().replace("&", " and ").replace("\u2019", "'")
        text = _PAREN_RE.sub(" ", text)
        if "/" in text:
            for k, v in self._slash_synonyms:
                text = re.sub(rf"(?<![\w/]){re.escape(k)}(?![\w/])", f" {v} ", text)
        out: list[str] = []
        for raw in _SPLIT_RE.split(text):
            w = raw.strip(_STRIP)
            if w.endswith("'s"):
                w = w[:-2]
            if not w:
                continue
            w = self.synonyms.get(w, w)
            if w in self.stopwords:
                continue
            if out and out[-1] == "pass" and w == "through":
                out[-1] = "pass-through"
                continue
            out.append(w)
        return tuple(out)

    def lookup(self, words: tuple[str, ...], anchored: bool = True) -> list[Match]:
        """Every measure the label can mean, best first; empty when it means none.

        ``anchored``: the variant must end on the label's last word (header cells and row
        labels end on their noun: "... Balance", "... Rate").
        """
        if not words:
            return []
        hits = self.exact.get(words)
        if hits:
            return [Match(m, 100 + len(words), True) for m in hits]
        best: dict[str, Match] = {}
        cands = self.by_last.get(words[-1], ()) if anchored else [
            pc for w in set(words) for pc in self.by_last.get(w, ())
        ]
        for phrase, m in cands:
            if len(phrase) < 2 or len(phrase) > len(words):
                continue
            if not _is_subsequence(phrase, words):
                continue
            # Longer variants win; among equals, the one whose words sit closer together.
            score = len(phrase) * 10 - _gaps(phrase, words)
            prev = best.get(m.name)
            if prev is None or score > prev.score:
                best[m.name] = Match(m, score, False)
        return sorted(best.values(), key=lambda x: -x.score)

    def lookup_label(self, label: str, anchored: bool = True) -> list[Match]:
        return self.lookup(self.normalize(label), anchored)

    def has_context(self, text: str, name: str) -> bool:
        low = text.lower()
        return any(p in low for p in self.contexts.get(name, ()))


def _is_subsequence(phrase: tuple[str, ...], words: tuple[str, ...]) -> bool:
    it = iter(words)
    return all(any(w == p for w in it) for p in phrase)


def _gaps(phrase: tuple[str, ...], words: tuple[str, ...]) -> int:
    pos = []
    j = 0
    for p in phrase:
        while j < len(words) and words[j] != p:
            j += 1
        pos.append(j)
        j += 1
    return (pos[-1] - pos[0] + 1 - len(phrase)) if pos else 0


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The process-wide lexicon, read once from the packaged YAML."""
    with _YAML.open(encoding="utf-8") as fh:
        return Lexicon(yaml.safe_load(fh))


def best_for_scope(matches: list[Match], scope: str) -> Measure | None:
    """The best-scoring measure that applies in ``scope``."""
    for m in matches:
        if scope in m.measure.scopes:
            return m.measure
    return None
