"""Where the document chunks and their embeddings live.

``LanceStore`` (LanceDB, the ``production`` extra) keeps the index on disk; ``MemoryStore`` holds
it in the process. Both satisfy ``VectorStore``, so the assistant and the tests do not care.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol


@dataclass(frozen=True)
class Chunk:
    id: str
    source: str
    text: str
    vector: list[float]


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float


class VectorStore(Protocol):
    def add(self, chunks: list[Chunk]) -> None: ...
    def search(self, vector: list[float], k: int) -> list[Hit]: ...
    def count(self) -> int: ...


def _cosine(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0


class MemoryStore:
    def __init__(self) -> None:
        self._chunks: dict[str, Chunk] = {}

    def add(self, chunks: list[Chunk]) -> None:
        self._chunks.update((c.id, c) for c in chunks)

    def search(self, vector: list[float], k: int) -> list[Hit]:
        hits = [Hit(c, _cosine(vector, c.vector)) for c in self._chunks.values()]
        return sorted(hits, key=lambda h: h.score, reverse=True)[:k]

    def count(self) -> int:
        return len(self._chunks)


class LanceStore:
    """A LanceDB table; re-adding a chunk id replaces it (merge insert), so ingest is idempotent."""

    def __init__(self, path: Path, table: str = "chunks") -> None:
        import lancedb

        self._db = lancedb.connect(str(path))
        self._name = table
        self._table: Any = self._db.open_table(table) if table in self._db.table_names() else None

    def add(self, chunks: list[Chunk]) -> None:
        rows = [{"id": c.id, "source": c.source, "text": c.text, "vector": c.vector} for c in chunks]
        if not rows:
            return
        if self._table is None:
            self._table = self._db.create_table(self._name, data=rows)
        else:
            self._table.merge_insert("id").when_matched_update_all().when_not_matched_insert_all().execute(rows)

    def search(self, vector: list[float], k: int) -> list[Hit]:
        if self._table is None:
            return []
        rows = self._table.search(vector).metric("cosine").limit(k).to_list()
        return [
            Hit(Chunk(r["id"], r["source"], r["text"], list(r["vector"])), 1.0 - float(r["_distance"]))
            for r in rows
        ]

    def count(self) -> int:
        return 0 if self._table is None else int(self._table.count_rows())


def store_from_env() -> VectorStore:
    """``VECTOR_STORE=lancedb`` (with ``LANCEDB_PATH``) or ``memory`` (the default)."""
    if os.environ.get("VECTOR_STORE", "memory") == "lancedb":
        return LanceStore(Path(os.environ.get("LANCEDB_PATH", "data/index")))
    return MemoryStore()
