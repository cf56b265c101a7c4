"""Benchmark: the output scanner on real documentation, where nearly every finding is false.

Scans the README files of the npm packages the Backstage plugins install and the package
descriptions of the Python packages in the virtual environment: documentation as people wrote
it, full of links, code, hashes, certificates, changelogs and example values, which model
outputs resemble. Each file is cut into chunks of ``--chunk`` characters (a long answer) and
every chunk is checked as an output. A chunk with a finding is a false positive except where
the file really names a person (maintainers' e-mail addresses in copyright lines) or carries
a real-looking sample credential; ``--show N`` prints N findings per label, to read them.

    make plugins-deps   # the npm packages (their READMEs)
    .venv/bin/python -m bench.guard_docs --files 3000 --show 5

``--direction input``: the injection scanner's flag and block rates on the same documents in
chunks of 1,500 characters (what a RAG app retrieves and scans), for the half of the packages
the classifier trains on (``training/docs.py``) and the half it never saw (held out), with
``--show N`` chunks flagged of the held-out half.
"""

from __future__ import annotations

import collections
import json
import sys
import time
from pathlib import Path

from bench.common import arguments, load_average
from portal_api.security.guard.engine import Guard
from portal_api.security.guard.models import Direction, Verdict

ROOT = Path(__file__).parent.parent


def documents() -> list[Path]:
    """README files of the plugins' npm packages, then the Python packages' descriptions."""
    modules = ROOT / "backstage-plugins" / "node_modules"
    readmes = sorted(p for p in modules.glob("**/README.md") if p.is_file())
    site = Path(sys.prefix) / "lib"
    metadata = sorted(site.glob("python3*/site-packages/*.dist-info/METADATA"))
    return readmes + metadata


def text_of(path: Path) -> str:
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.name == "METADATA":  # the description follows the headers' blank line
        text = text.split("\n\n", 1)[1] if "\n\n" in text else ""
    return text


def inputs(guard: Guard, paths: list[Path], chunk: int, show: int) -> None:
    from portal_api.security.guard.training.docs import held_out

    counts: collections.Counter[str] = collections.Counter()
    shown: list[str] = []
    seen: set[str] = set()
    started = time.process_time()
    for path in paths:
        text = text_of(path)
        if not text or text in seen:
            continue
        seen.add(text)
        half = "held-out" if held_out(_name(path)) else "trained-on"
        for at in range(0, min(len(text), 4 * chunk), chunk):
            piece = text[at : at + chunk]
            result = guard.check(piece, Direction.INPUT)
            verdict = next(r for r in result.scanners if r.scanner == "prompt_injection").verdict
            counts[half] += 1
            if verdict != Verdict.PASS:
                counts[f"{half} {verdict.value}"] += 1
                if half == "held-out" and len(shown) < show:
                    shown.append(f"{path.parent.name} {verdict.value}: {piece[:160]!r}")
    cpu = time.process_time() - started
    print(
        f"injection scanner on documentation ({load_average()}): {len(seen)} documents, "
        f"chunks of {chunk} characters, {cpu:.1f} s of CPU"
    )
    for half in ("trained-on", "held-out"):
        n, flag, block = counts[half], counts[f"{half} flag"], counts[f"{half} block"]
        print(
            f"  {half:10} {n} chunks: flagged or blocked {flag + block} ({(flag + block) / max(1, n):.3f}), "
            f"blocked {block} ({block / max(1, n):.3f})"
        )
    for line in shown:
        print(f"      {line}")


def _name(path: Path) -> str:
    """The package's name as its manifest gives it (the halves are split by it)."""
    if path.name == "METADATA":
        head = path.read_text(encoding="utf-8", errors="replace").split("\n\n", 1)[0]
        return next((line[6:] for line in head.splitlines() if line.startswith("Name: ")), "")
    manifest = path.with_name("package.json")
    if manifest.exists():
        return str(json.loads(manifest.read_text(encoding="utf-8")).get("name", ""))
    return path.parent.name


def main() -> None:
    args = arguments(__doc__, files=3000, chunk=0, show=0, direction="output")
    guard = Guard.from_config(deny_list=[], canaries=[])
    if args.direction == "input":
        inputs(guard, documents()[: args.files], args.chunk or 1500, args.show)
        return
    args.chunk = args.chunk or 3000
    paths, seen = documents(), set()
    chunks = flagged = 0
    labels: collections.Counter[str] = collections.Counter()
    examples: dict[str, list[str]] = collections.defaultdict(list)
    started = time.process_time()
    for path in paths[: args.files]:
        text = text_of(path)
        if not text or text in seen:  # the same README in several versions
            continue
        seen.add(text)
        for at in range(0, min(len(text), 20 * args.chunk), args.chunk):
            chunk = text[at : at + args.chunk]
            chunks += 1
            result = guard.check(chunk, Direction.OUTPUT)
            spans = [s for r in result.scanners if r.scanner in ("secrets", "pii") for s in r.spans]
            flagged += bool(spans)
            for span in spans:
                labels[span.label] += 1
                if len(examples[span.label]) < args.show:
                    before = chunk[max(0, span.start - 50) : span.start].replace("\n", " ")
                    value = chunk[span.start : span.end][:60]
                    examples[span.label].append(f"{path.parent.name}: ...{before}[{value}]")
    cpu = time.process_time() - started
    print(
        f"guard on documentation ({load_average()}): {len(seen)} documents of {len(paths)}, "
        f"{chunks} chunks of {args.chunk} characters, {cpu:.1f} s of CPU"
    )
    print(f"  chunks with a finding: {flagged} ({flagged / max(1, chunks):.3f})")
    for label, count in labels.most_common():
        print(f"  {label:28} {count}")
        for line in examples[label]:
            print(f"      {line}")


if __name__ == "__main__":
    main()
