"""Prometheus adapter: instant and range queries with explicit times, errors as SourceError."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterator
from functools import cached_property
from typing import TYPE_CHECKING, Any

import orjson
from pydantic import BaseModel, Field

if TYPE_CHECKING:
    import requests
    from prometheus_api_client import PrometheusConnect

from portal_api.config import Settings
from portal_api.errors import SourceError

# prometheus-api-client raises one exception type for every non-200 answer and keeps the
# status only in its message: "HTTP Status Code 400 (b'...')".
_ANSWERED = re.compile(r"HTTP Status Code (\d{3})\b")

SOURCE = "prometheus"


class Sample(BaseModel):
    """One series' value at one instant."""

    labels: dict[str, str] = Field(default_factory=dict)
    value: float


class Series(BaseModel):
    """One series over a range, as (time, value) points on the step grid."""

    labels: dict[str, str] = Field(default_factory=dict)
    points: list[tuple[dt.datetime, float]] = Field(default_factory=list)


def _utc(ts: float | str) -> dt.datetime:
    return dt.datetime.fromtimestamp(float(ts), tz=dt.UTC)


def _value(raw: str) -> float:
    value = float(raw)
    return value if math.isfinite(value) else math.nan


class PrometheusSource:
    """Reads Prometheus over its HTTP API through prometheus-api-client."""

    def __init__(
        self,
        url: str,
        *,
        timeout: float = 30.0,
        headers: dict[str, str] | None = None,
        compression: bool = False,
    ):
        """Args:
        url: the server's base URL.
        timeout: seconds per request.
        headers: sent with every request (a bearer token).
        compression: ask for gzip-compressed answers. Off by default: a sync's range answers
            are hundreds of megabytes that Prometheus would compress for a reader next to it
            (on two cores a 10 MB answer took 0.3-0.4 s to arrive gzipped, 0.1 s as it is).
        """
        self.url = url.rstrip("/")
        self.timeout = timeout
        self._headers = headers
        self.compression = compression

    # The HTTP session and the client (requests, prometheus-api-client: about 5 MB a process)
    # are made on the first query: an API worker that only serves stored reads never needs them.
    @cached_property
    def _session(self) -> requests.Session:
        import requests

        session = requests.Session()
        session.headers["Accept-Encoding"] = "gzip, deflate" if self.compression else "identity"
        return session

    @cached_property
    def _client(self) -> PrometheusConnect:
        from prometheus_api_client import PrometheusConnect
        from urllib3.util.retry import Retry

        # One quick retry for a blip; a down server fails the step fast and the next pass retries.
        retry = Retry(total=1, backoff_factor=0.2, status_forcelist=(502, 503, 504))
        return PrometheusConnect(
            url=self.url,
            headers=self._headers,
            disable_ssl=False,
            session=self._session,
            timeout=self.timeout,
            retry=retry,
        )

    @classmethod
    def from_settings(cls, settings: Settings) -> PrometheusSource | None:
        if not settings.prometheus_url:
            return None
        headers = None
        if settings.prometheus_bearer_token is not None:
            headers = {
                "Authorization": f"Bearer {settings.prometheus_bearer_token.get_secret_value()}"
            }
        return cls(
            settings.prometheus_url,
            timeout=settings.prometheus_timeout_seconds,
            headers=headers,
            compression=settings.prometheus_compression,
        )

    def close(self) -> None:
        if "_session" in self.__dict__:  # made on the first query
            self._session.close()

    def _guard(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        import requests
        from prometheus_api_client.exceptions import PrometheusApiClientException

        try:
            return fn(*args, **kwargs)
        except PrometheusApiClientException as exc:
            status = _ANSWERED.match(str(exc))
            raise SourceError(
                SOURCE,
                f"query failed: {str(exc)[:300]}",
                status=int(status.group(1)) if status else None,
            ) from None
        except requests.Timeout:
            raise SourceError(SOURCE, f"no answer within {self.timeout:g}s") from None
        except requests.RequestException as exc:
            raise SourceError(SOURCE, f"unreachable: {type(exc).__name__}") from None
        except ValueError:
            raise SourceError(SOURCE, "answered with something that is not JSON") from None

    def query(self, promql: str, *, at: dt.datetime) -> list[Sample]:
        """Evaluate an instant query at a given time.

        Args:
            promql: the query.
            at: evaluation time (aware); never implicit, so results are reproducible.

        Returns:
            One Sample per result series (scalars come back as one unlabelled sample).

        Raises:
            SourceError: Prometheus failed, timed out or could not be reached.
        """
        result = self._guard(
            self._client.custom_query, promql, params={"time": f"{at.timestamp():.3f}"}
        )
        if isinstance(result, list) and len(result) == 2 and not isinstance(result[0], dict):
            return [Sample(value=_value(result[1]))]  # scalar result
        return [
            Sample(labels=item.get("metric", {}), value=_value(item["value"][1])) for item in result
        ]

    def query_range(
        self, promql: str, *, start: dt.datetime, end: dt.datetime, step: dt.timedelta
    ) -> list[Series]:
        """Evaluate a range query on the grid start, start+step, ..., end.

        Args:
            promql: the query.
            start: first evaluation time (aware).
            end: last evaluation time (aware).
            step: grid spacing.

        Returns:
            One Series per result series.

        Raises:
            SourceError: Prometheus failed, timed out or could not be reached.
        """
        return [
            Series(labels=labels, points=[(_utc(ts), value) for ts, value in points])
            for labels, points in self.query_range_raw(promql, start=start, end=end, step=step)
        ]

    def query_range_raw(
        self, promql: str, *, start: dt.datetime, end: dt.datetime, step: dt.timedelta
    ) -> list[tuple[dict[str, str], list[tuple[float, float]]]]:
        """Like query_range, but as plain (labels, [(unix seconds, value)]) tuples.

        For bulk readers (usage sync reads hundreds of thousands of points per pass), where
        building a validated model per series costs more than the query.

        Raises:
            SourceError: Prometheus failed, timed out or could not be reached.
        """
        result = self._guard(
            self._client.custom_query_range,
            promql,
            start_time=start,
            end_time=end,
            step=f"{int(step.total_seconds())}s",
        )
        return [
            (item.get("metric", {}), [(float(ts), _value(v)) for ts, v in item.get("values", [])])
            for item in result
        ]

    def query_range_columns(
        self, promql: str, *, start: dt.datetime, end: dt.datetime, step: dt.timedelta
    ) -> list[tuple[dict[str, str], list[float], list[float]]]:
        """Like query_range, as (labels, unix seconds, values) per series: the bulk path.

        A usage sync reads millions of points: the answer is decoded from the response bytes
        (``decode_matrix``), and the points come back as two flat lists per series (non-finite
        values as NaN) instead of an object per point; series answered at the same steps share
        one list of times (callers must not change it).

        Raises:
            SourceError: Prometheus failed, timed out or could not be reached.
        """
        return self.decode_range_columns(
            self.query_range_bytes(promql, start=start, end=end, step=step)
        )

    def query_range_bytes(
        self, promql: str, *, start: dt.datetime, end: dt.datetime, step: dt.timedelta
    ) -> bytes:
        """The answer of a range query as Prometheus sent it (checked for its status only), for
        ``decode_range_columns``: a reader can have the next answers fetched (threads waiting
        on the network) while it decodes one (holding the interpreter).

        Raises:
            SourceError: Prometheus failed, timed out or could not be reached.
        """
        params = {
            "query": promql,
            "start": f"{start.timestamp():.3f}",
            "end": f"{end.timestamp():.3f}",
            "step": f"{int(step.total_seconds())}s",
        }
        body: bytes = self._guard(self._get_body, "query_range", params)
        return body

    def decode_range_columns(
        self, body: bytes
    ) -> list[tuple[dict[str, str], list[float], list[float]]]:
        """``query_range_columns`` of an answer fetched by ``query_range_bytes``.

        Raises:
            SourceError: the answer is not Prometheus's JSON.
        """
        columns: list[tuple[dict[str, str], list[float], list[float]]] = self._guard(
            decode_matrix, body
        )
        return columns

    def _get_result(self, endpoint: str, params: dict[str, str]) -> list[dict[str, Any]]:
        return _result_of(self._get_body(endpoint, params))

    def _get_body(self, endpoint: str, params: dict[str, str]) -> bytes:
        from prometheus_api_client.exceptions import PrometheusApiClientException

        response = self._session.get(
            f"{self.url}/api/v1/{endpoint}",
            params=params,
            headers=self._headers,
            timeout=self.timeout,
        )
        if response.status_code != 200:
            raise PrometheusApiClientException(
                f"HTTP Status Code {response.status_code} ({response.content[:300]!r})"
            )
        return response.content

    def query_raw_range_vector(
        self, promql: str, *, at: dt.datetime
    ) -> list[tuple[dict[str, str], list[tuple[float, float]]]]:
        """Evaluate an instant query whose result is a range vector (``metric[5m]``): the raw
        samples, as plain (labels, [(unix seconds, value)]) tuples.

        Raises:
            SourceError: Prometheus failed, timed out or could not be reached.
        """
        result = self._guard(
            self._client.custom_query, promql, params={"time": f"{at.timestamp():.3f}"}
        )
        return [
            (item.get("metric", {}), [(float(ts), _value(v)) for ts, v in item.get("values", [])])
            for item in result
        ]

    def ping(self) -> None:
        """Raises SourceError when Prometheus does not answer a trivial query."""
        self.query("vector(1)", at=dt.datetime.now(dt.UTC))


def _result_of(body: bytes) -> list[dict[str, Any]]:
    """The ``data.result`` of a Prometheus API answer."""
    try:
        decoded = orjson.loads(body)
    except orjson.JSONDecodeError:
        raise ValueError("not JSON") from None
    result = decoded["data"]["result"]
    assert isinstance(result, list)
    return result


_VALUES = b'"values":['


def decode_matrix(body: bytes) -> list[tuple[dict[str, str], list[float], list[float]]]:
    """A range answer as (labels, unix seconds, values) per series, non-finite values as NaN;
    series answered at the same steps share one list of times.

    The points are read from the bytes without decoding them as JSON objects: every
    ``"values":[...]`` array (Prometheus writes them without spaces; a string cannot hold
    that text unescaped) is cut out and split on its commas, and only what is left (the
    labels) goes through orjson. orjson would make a list, a number and a string per point
    (about 150 bytes: 50-60 MB held at once for one 10 MB answer of 10,000 series). An answer
    laid out otherwise is decoded whole, as before.

    Raises:
        ValueError: not a Prometheus API answer.
    """
    parts = body.split(_VALUES)
    skeleton = [parts[0]]
    sections: list[bytes] = []
    for part in parts[1:]:
        if part.startswith(b"]"):  # no points
            end = 0
        else:  # the points up to the one that closes the array
            found = part.find(b"]]")
            if found < 0:
                return _decode_whole(body)
            end = found + 1
        sections.append(part[:end])
        skeleton.append(b'"values":[]')
        skeleton.append(part[end + 1 :])
    items = _result_of(b"".join(skeleton))
    if sum("values" in item for item in items) != len(sections):
        return _decode_whole(body)
    taken = iter(sections)

    def series() -> Iterator[tuple[dict[str, str], list[float], list[float]]]:
        # Series answered at the same steps write the same times: converted once.
        written: list[bytes] = []
        times: list[float] = []
        for item in items:
            section = next(taken) if "values" in item else b""
            fields = section.translate(None, b'[]"').split(b",") if section else []
            if len(fields) % 2:
                raise ValueError("a point without its value")
            raw = fields[0::2]
            if raw != written:
                written, times = raw, list(map(float, raw))
            yield item.get("metric", {}), times, list(map(float, fields[1::2]))

    return _columns(series())


def _decode_whole(body: bytes) -> list[tuple[dict[str, str], list[float], list[float]]]:
    """``decode_matrix`` through orjson, point by point."""
    result = _result_of(body)
    result.reverse()  # popped in order: each series' decoded points go once converted

    def series() -> Iterator[tuple[dict[str, str], list[float], list[float]]]:
        while result:
            item = result.pop()
            values = item.get("values", [])
            yield (
                item.get("metric", {}),
                [float(t) for t, _ in values],
                [float(v) for _, v in values],
            )

    return _columns(series())


def _columns(
    series: Iterator[tuple[dict[str, str], list[float], list[float]]],
) -> list[tuple[dict[str, str], list[float], list[float]]]:
    """Decoded series with their non-finite values as NaN; series answered at the same steps
    share one list of times (read-only)."""
    columns = []
    shared: list[float] = []
    for labels, times, numbers in series:
        if not all(map(math.isfinite, numbers)):
            numbers = [v if math.isfinite(v) else math.nan for v in numbers]
        if times is not shared and times == shared:
            times = shared
        shared = times
        columns.append((labels, times, numbers))
    return columns
