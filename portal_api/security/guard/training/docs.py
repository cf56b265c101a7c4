"""Documentation as benign training text (``docs_negatives.jsonl``): README files of the npm
packages the Backstage plugins install and the descriptions of the Python packages in the
virtual environment, as people wrote them, with links, code and tables; the kind of text a RAG
app retrieves and scans as input, which the classifier had never seen (8 % of such chunks
were flagged). Only packages whose licence is permissive (MIT, ISC, BSD, Apache-2.0, 0BSD,
Python-2.0), and only the half of them whose name hashes even (the other half stays out, to
measure on: ``bench/guard_docs.py --direction input``). Each line records its package,
version, file, licence and offset.

    make plugins-deps
    .venv/bin/python -m portal_api.security.guard.training.docs   # rewrites the file
"""

from __future__ import annotations

import json
import random
import re
import sys
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

OUT = Path(__file__).with_name("docs_negatives.jsonl")
ROOT = Path(__file__).resolve().parents[4]
CHUNK = 1200
PER_DOCUMENT = 2  # the first chunks of each document: its introduction and first example
LIMIT = 1200
PERMISSIVE = re.compile(
    r"(?i)^\(?(?:MIT|ISC|0BSD|BSD(?:-[23]-Clause)?|Apache(?:-2\.0| License,? Version 2\.0| 2\.0)|"
    r"Python-2\.0|PSF)(?:\s+(?:OR|AND)\s+[\w.-]+)*\)?$"
)
_CLASSIFIER = re.compile(
    r"^Classifier: License :: OSI Approved :: (MIT|ISC|BSD|Apache Software|Python Software)",
    re.M,
)


def held_out(package: str) -> bool:
    """The half of the packages kept out of training (by a stable hash of the name)."""
    return zlib.crc32(package.encode("utf-8")) % 2 == 1


def _npm(readme: Path) -> tuple[str, str, str] | None:
    manifest = readme.with_name("package.json")
    if not manifest.exists():
        return None
    data = json.loads(manifest.read_text(encoding="utf-8"))
    licence = data.get("license")
    if not isinstance(licence, str) or not PERMISSIVE.match(licence.strip()):
        return None
    return str(data.get("name", "")), str(data.get("version", "")), licence.strip()


def _python(metadata: Path) -> tuple[str, str, str] | None:
    head = metadata.read_text(encoding="utf-8", errors="replace").split("\n\n", 1)[0]
    fields = dict(
        line.split(": ", 1) for line in head.splitlines() if ": " in line and line[0] != " "
    )
    licence = fields.get("License-Expression") or fields.get("License") or ""
    found = _CLASSIFIER.search(head)
    if not (PERMISSIVE.match(licence.strip()) or found):
        return None
    named = licence.strip() if PERMISSIVE.match(licence.strip()) else ""
    return fields.get("Name", ""), fields.get("Version", ""), named or found.group(1)  # type: ignore[union-attr]


def sources() -> list[tuple[Path, tuple[str, str, str]]]:
    """(file, (package, version, licence)) of every permissively licensed document, sorted."""
    modules = ROOT / "backstage-plugins" / "node_modules"
    found: list[tuple[Path, tuple[str, str, str]]] = []
    for readme in sorted(modules.glob("**/README.md")):
        meta = _npm(readme) if readme.is_file() else None
        if meta:
            found.append((readme, meta))
    for metadata in sorted(
        (Path(sys.prefix) / "lib").glob("python3*/site-packages/*.dist-info/METADATA")
    ):
        meta = _python(metadata)
        if meta:
            found.append((metadata, meta))
    return found


def chunks_of(path: Path) -> list[tuple[int, str]]:
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.name == "METADATA":
        text = text.split("\n\n", 1)[1] if "\n\n" in text else ""
    return [
        (at, text[at : at + CHUNK])
        for at in range(0, min(len(text), PER_DOCUMENT * CHUNK), CHUNK)
        if len(text[at : at + CHUNK].strip()) >= 200
    ]


def carried(
    attacks: list[tuple[str, str, str, str]], split_of: Callable[[str], str], seed: int
) -> Iterator[tuple[str, int, str, str, str]]:
    """(text, label, category, split key, payload) for the corpus: each chunk of the file as it
    is, and a third of them with an attack of the same split put in at a paragraph break (a
    README is no attack, one carrying an order to the model is: the buried instruction). Drawn
    from a generator of their own, so the rest of the corpus is the same as without them."""
    if not OUT.exists():
        return
    rng = random.Random(seed)
    by_split: dict[str, list[str]] = {}
    for text, _category, _lang, key in attacks:
        if len(text) < 400:
            by_split.setdefault(split_of(key), []).append(text)
    for raw in OUT.read_text(encoding="utf-8").splitlines():
        text = json.loads(raw)["text"]
        yield text, 0, "document:readme", text, ""
        if rng.random() < 0.33 and by_split.get(split_of(text)):
            breaks = [m.end() for m in re.finditer(r"\n\n", text)] or [len(text)]
            at = rng.choice(breaks)
            attack = rng.choice(by_split[split_of(text)])
            yield text[:at] + attack + "\n\n" + text[at:], 1, "indirect:readme", text, attack


def extract() -> list[dict[str, object]]:
    lines: list[dict[str, object]] = []
    seen: set[str] = set()
    for path, (package, version, licence) in sources():
        if not package or held_out(package) or package in seen:
            continue
        seen.add(package)
        for at, text in chunks_of(path):
            lines.append(
                {
                    "label": "benign",
                    "category": "document:readme",
                    "lang": "en",
                    "text": text,
                    "package": package,
                    "version": version,
                    "file": path.name,
                    "license": licence,
                    "offset": at,
                }
            )
    # A stable sample of at most LIMIT chunks: by a hash of the text, not the file order.
    lines.sort(key=lambda line: zlib.crc32(str(line["text"]).encode("utf-8")))
    return sorted(lines[:LIMIT], key=lambda line: (str(line["package"]), int(line["offset"])))  # type: ignore[call-overload]


if __name__ == "__main__":
    extracted = extract()
    OUT.write_text(
        "".join(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n" for line in extracted),
        encoding="utf-8",
    )
    print(
        f"{len(extracted)} chunks of {len({line['package'] for line in extracted})} packages -> {OUT}"
    )
