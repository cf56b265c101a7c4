"""The OpenAI source against the local OpenAI-compatible server, through the real client."""

from __future__ import annotations

import time

import httpx
import openai
import pytest

from portal_api.config import Settings
from portal_api.errors import SourceError
from portal_api.sources.bundle import Sources
from portal_api.sources.openai import OpenAISource
from tests.servers.openai import RESPONSE_MODEL_SUFFIX, OpenAIState, embedding, unreachable_url


def test_chat_returns_text_and_usage(openai_source: OpenAISource, llm: OpenAIState) -> None:
    llm.reply("capital of France", "Paris")
    result = openai_source.chat(
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": "What is the capital of France?"}],
        parameters={"temperature": 0, "max_tokens": 5, "note": "metadata, not sent"},
    )
    assert result.text == "Paris"
    assert result.model == "gpt-4o-mini" + RESPONSE_MODEL_SUFFIX  # what the endpoint answered
    assert (result.input_tokens, result.output_tokens) == (6, 1)
    assert llm.requests[0]["temperature"] == 0
    assert "note" not in llm.requests[0]


def test_retries_429_and_500_then_succeeds(openai_source: OpenAISource, llm: OpenAIState) -> None:
    llm.fail(429, 500)
    result = openai_source.chat(model="m", messages=[{"role": "user", "content": "hi there"}])
    assert result.text == "hi there"
    assert len(llm.requests) == 3


def test_gives_up_after_retries(openai_source: OpenAISource, llm: OpenAIState) -> None:
    llm.fail(500, 500, 500, 500)
    with pytest.raises(SourceError) as exc:
        openai_source.chat(model="m", messages=[{"role": "user", "content": "hi"}])
    assert exc.value.source == "openai"
    assert "500" in exc.value.message
    assert exc.value.status == 500
    assert len(llm.requests) == 3  # one call and two retries


def test_client_error_is_not_retried(openai_source: OpenAISource, llm: OpenAIState) -> None:
    llm.fail(400)
    with pytest.raises(SourceError, match="400") as exc:
        openai_source.chat(model="m", messages=[{"role": "user", "content": "hi"}])
    assert exc.value.status == 400
    assert len(llm.requests) == 1


def test_timeout(openai_base_url: str, llm: OpenAIState) -> None:
    llm.stall_seconds = 2.0
    llm.fail("timeout")
    source = OpenAISource(openai_base_url, timeout=0.5, max_retries=0)
    started = time.perf_counter()
    with pytest.raises(SourceError, match="timed out"):
        source.chat(model="m", messages=[{"role": "user", "content": "hi"}])
    assert time.perf_counter() - started < 1.5
    source.close()


def test_unreachable_endpoint() -> None:
    with unreachable_url() as url:
        source = OpenAISource(url, timeout=1.0, max_retries=0)
        with pytest.raises(SourceError, match="unreachable") as exc:
            source.chat(model="m", messages=[{"role": "user", "content": "hi"}])
        assert exc.value.status is None  # no answer, so no status
        source.close()


def test_server_streams_with_usage(openai_base_url: str, llm: OpenAIState) -> None:
    llm.reply("count", "one two three")
    client = openai.OpenAI(base_url=openai_base_url, api_key="sk-test", max_retries=0)
    stream = client.chat.completions.create(
        model="m",
        messages=[{"role": "user", "content": "count to three"}],
        stream=True,
        stream_options={"include_usage": True},
    )
    text, usage = "", None
    for chunk in stream:
        if chunk.choices and chunk.choices[0].delta.content:
            text += chunk.choices[0].delta.content
        if chunk.usage is not None:
            usage = chunk.usage
    client.close()
    assert text == "one two three"
    assert usage is not None
    assert (usage.prompt_tokens, usage.completion_tokens) == (3, 3)


def test_server_embeds_and_records_each_path(openai_base_url: str, llm: OpenAIState) -> None:
    client = openai.OpenAI(base_url=openai_base_url, api_key="sk-test", max_retries=0)
    texts = ["the capital of France", "a recipe for bread"]
    # Left to itself the client asks for base64 and decodes it; both give the same vectors.
    for encoding in (openai.omit, "float"):
        response = client.embeddings.create(
            model="embed-m",
            input=texts,
            encoding_format=encoding,
        )
        vectors = [d.embedding for d in sorted(response.data, key=lambda d: d.index)]
        assert [[round(x, 5) for x in v] for v in vectors] == [
            [round(x, 5) for x in embedding(t)] for t in texts
        ]
        assert response.usage.prompt_tokens == 8
    client.chat.completions.create(model="m", messages=[{"role": "user", "content": "hi"}])
    client.close()
    assert [r["path"] for r in llm.requests] == [
        "/v1/embeddings",
        "/v1/embeddings",
        "/v1/chat/completions",
    ]
    assert llm.requests[0]["input"] == texts
    assert [r.get("encoding_format") for r in llm.requests[:2]] == ["base64", "float"]


def test_server_outage_and_missing_key(openai_base_url: str, llm: OpenAIState) -> None:
    client = openai.OpenAI(base_url=openai_base_url, api_key="sk-test", max_retries=2)
    hi = [{"role": "user", "content": "hi"}]
    with llm.outage(503), pytest.raises(openai.InternalServerError):
        client.chat.completions.create(model="m", messages=hi)  # type: ignore[arg-type]
    assert len(llm.requests) == 3  # every retry failed too
    reply = client.chat.completions.create(model="m", messages=hi)  # type: ignore[arg-type]
    assert reply.choices[0].message.content == "hi"
    client.close()
    refused = httpx.post(f"{openai_base_url}/chat/completions", json={"model": "m", "messages": hi})
    assert refused.status_code == 401
    assert refused.json()["error"]["type"] == "invalid_request_error"


def test_built_from_settings_only_when_configured(openai_base_url: str) -> None:
    off = Sources.from_settings(Settings(database_url="sqlite://"))
    assert off.openai is None
    assert off.configured()["openai"] is False
    on = Sources.from_settings(
        Settings(database_url="sqlite://", openai_base_url=openai_base_url, openai_api_key="sk-x")
    )
    assert on.openai is not None
    assert on.configured()["openai"] is True
    on.close()


def test_list_models(openai_source: OpenAISource) -> None:
    assert openai_source.list_models() == ["test-model"]
