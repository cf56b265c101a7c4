"""The range answers of a sync are decoded from their bytes (the points without a JSON object
each): the same series, labels, times and values as decoding the whole answer as JSON, for
what Prometheus writes and for what a label may hold; an answer laid out otherwise (spaces, a
proxy's pretty-printing) is decoded whole; a broken one is refused."""

from __future__ import annotations

import datetime as dt
import math
import re

import orjson
import pytest

from portal_api.errors import SourceError
from portal_api.sources.prometheus import PrometheusSource, _decode_whole, decode_matrix
from tests.servers.prometheus import PrometheusFactory, PromSeries


def _answer(result: list[dict[str, object]], **extra: object) -> bytes:
    return orjson.dumps(
        {"status": "success", "data": {"resultType": "matrix", "result": result}, **extra}
    )


def _same(got: list[tuple[dict[str, str], list[float], list[float]]], body: bytes) -> None:
    want = _decode_whole(body)
    assert [labels for labels, _, _ in got] == [labels for labels, _, _ in want]
    assert [times for _, times, _ in got] == [times for _, times, _ in want]
    for (_, _, a), (_, _, b) in zip(got, want, strict=True):
        assert len(a) == len(b)
        assert all(x == y or (math.isnan(x) and math.isnan(y)) for x, y in zip(a, b, strict=True))


TRICKY = [
    # labels that hold the text that marks the points, brackets, quotes, escapes, unicode
    {"metric": {"app": '"values":[[1,"2"]]', "q": 'a"b\\c]]'}, "values": [[1700000000, "1"]]},
    {
        "metric": {"app": "ünïcødé ✓", "values": "[]"},
        "values": [[1700000000.5, "2.5"], [1700003600.25, "1e3"]],
    },
    {"metric": {}, "values": [[1700000000, "NaN"], [1700003600, "+Inf"], [1700007200, "-Inf"]]},
    {"metric": {"app": "no-points"}, "values": []},
    {"metric": {"app": "native"}, "histograms": [[1700000000, {"count": "1", "sum": "2"}]]},
    {"metric": {"app": "tail"}, "values": [[1700000000, "3"], [1700003600, "-4.5"]]},
]


def test_the_points_read_from_the_bytes_are_those_json_decodes() -> None:
    body = _answer(TRICKY, warnings=['a warning with "values":[ in it'])
    got = decode_matrix(body)
    _same(got, body)
    assert got[0][0]["app"] == '"values":[[1,"2"]]'
    assert got[2][2][0] != got[2][2][0]  # NaN, and the infinities too
    assert all(math.isnan(v) for v in got[2][2])
    assert got[3][1:] == ([], [])
    assert got[4][1:] == ([], [])
    assert got[5][2] == [3.0, -4.5]


def test_series_at_the_same_steps_share_their_times() -> None:
    points = [[1700000000 + 3600 * i, str(i)] for i in range(5)]
    got = decode_matrix(_answer([{"metric": {"n": str(n)}, "values": points} for n in range(3)]))
    assert got[0][1] is got[1][1] is got[2][1]


def test_an_answer_laid_out_otherwise_is_decoded_whole() -> None:
    body = orjson.dumps(
        {"status": "success", "data": {"resultType": "matrix", "result": TRICKY}},
        option=orjson.OPT_INDENT_2,
    )
    assert b'"values":[' not in body
    _same(decode_matrix(body), body)


def test_a_broken_answer_is_refused() -> None:
    broken = _answer(TRICKY).replace(b'[1700000000,"3"]', b"[1700000000]")
    with pytest.raises(ValueError, match="without its value"):
        decode_matrix(broken)
    with pytest.raises(SourceError):
        PrometheusSource("http://127.0.0.1:9").decode_range_columns(b'{"data": [[')


def test_a_real_prometheus_answer_decodes_as_json_does(
    prometheus_factory: PrometheusFactory,
) -> None:
    t0 = (dt.datetime.now(dt.UTC) - dt.timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    labels = [{"app": f"app-{n}", "odd": 'x"values":[]]\\'} for n in range(40)]
    series = [
        PromSeries(
            "demo_total",
            lab,
            [
                (t0 + dt.timedelta(minutes=m), m * (n + 1) / 3)
                for m in range(0, 600, 7)
                if m % (n + 2)
            ],
        )
        for n, lab in enumerate(labels)
    ]
    source = PrometheusSource(prometheus_factory.start(series).url, timeout=30)
    body = source.query_range_bytes(
        "demo_total", start=t0, end=t0 + dt.timedelta(hours=10), step=dt.timedelta(minutes=5)
    )
    assert re.search(rb'"values":\[\[', body)
    got = source.decode_range_columns(body)
    assert len(got) > 30
    _same(got, body)
