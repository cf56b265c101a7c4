"""Phrase banks of the injection corpus, written for this project (Apache-2.0, see PROVENANCE.md).

Attacks are composed from parts (an opener, an override, a target, a new goal...) and from
whole hand-written lines; benign texts deliberately reuse the same vocabulary ("ignore the
typos", "the system prompt of our bot", quoted attacks inside security documentation) so the
classifier learns intent, not words. Languages: English, German, French, Spanish, Chinese,
Russian, Japanese.

The banks are data, not code: ``phrases.json`` (English: openers, override verbs and targets,
extraction, jailbreaks, exfiltration, buried instructions, transcripts, benign requests and
grammar) and ``multilingual.json`` (per language: attacks, benign lines, fillers and grammars).
Arrays read back as tuples, so the corpus samples them exactly as it always has.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

HERE = Path(__file__).parent


def _frozen(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, dict):
        return {k: _frozen(v) for k, v in value.items()}
    return value


def load_bank(name: str) -> Any:
    """The bank ``<name>.json`` as a namespace of its upper-case names (``bank.OPENERS``)."""
    data = json.loads((HERE / f"{name}.json").read_text(encoding="utf-8"))
    return SimpleNamespace(**{key: _frozen(value) for key, value in data.items()})
