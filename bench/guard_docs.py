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
"""

from __future__ import annotations

import collections
import sys
import time
from pathlib import Path

from bench.common import arguments, load_average
from portal_api.security.guard.engine import Guard
from portal_api.security.guard.models import Direction

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


def main() -> None:
    args = arguments(__doc__, files=3000, chunk=3000, show=0)
    guard = Guard.from_config(deny_list=[], canaries=[])
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
