"""Split documents into chunks, embed them and store them.

    python -m {{ cookiecutter.package }}.ingest docs/      # VECTOR_STORE=lancedb LANCEDB_PATH=data/index
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections.abc import Iterable
from pathlib import Path

from .config import Settings
from .llm import ModelClient
from .store import Chunk, VectorStore, store_from_env

SUFFIXES = {".md", ".txt", ".rst"}
BATCH = 64


def split(text: str, *, size: int = 1200, overlap: int = 200) -> list[str]:
    """Chunks of about ``size`` characters, cut at paragraph ends where possible."""
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    chunks: list[str] = []
    current = ""
    for paragraph in paragraphs:
        while len(paragraph) > size:
            head, paragraph = paragraph[:size], paragraph[size - overlap :]
            if current:
                chunks.append(current)
                current = ""
            chunks.append(head)
        if current and len(current) + len(paragraph) + 2 > size:
            chunks.append(current)
            current = current[-overlap:] if overlap else ""
        current = f"{current}\n\n{paragraph}" if current else paragraph
    if current:
        chunks.append(current)
    return chunks


def documents(paths: Iterable[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        found.extend(sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES) if path.is_dir() else [path])
    return found


def ingest(paths: Iterable[Path], *, store: VectorStore, client: ModelClient, settings: Settings) -> int:
    """Index the documents under ``paths``; returns the number of chunks stored."""
    pending: list[tuple[str, str, str]] = []
    for path in documents(paths):
        for n, text in enumerate(split(path.read_text(encoding="utf-8"))):
            chunk_id = hashlib.sha256(f"{path.name}:{n}:{text}".encode()).hexdigest()[:32]
            pending.append((chunk_id, path.name, text))
    for start in range(0, len(pending), BATCH):
        batch = pending[start : start + BATCH]
        vectors = client.embed([text for _, _, text in batch], model=settings.embedding_model)
        pairs = zip(batch, vectors, strict=True)
        store.add([Chunk(cid, source, text, vector) for (cid, source, text), vector in pairs])
    return len(pending)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+", type=Path)
    args = parser.parse_args(argv)
    settings = Settings()
    count = ingest(args.paths, store=store_from_env(), client=ModelClient(settings), settings=settings)
    print(f"indexed {count} chunks")
    return 0


if __name__ == "__main__":
    sys.exit(main())
