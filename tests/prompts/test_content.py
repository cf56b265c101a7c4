"""Content hashing, variables and the workload annotation (pure functions)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from portal_api.kit.identity import template_variables
from portal_api.prompts.cluster import parse_versions_annotation
from portal_api.prompts.content import content_hash
from portal_api.prompts.models import PromptContent


def test_template_variables() -> None:
    template = "Hi {{ name }}, {{name}} again; {{ user.email }} and {{ topic | upper }}. {not}"
    assert template_variables(template) == ["name", "user", "topic"]
    # Names the template binds itself are not asked of the caller.
    loop = "{% for doc in docs %}{{ doc.title | trim }}{% endfor %}{% set x = 1 %}{{ x }}"
    assert template_variables(loop) == ["docs"]


def test_a_template_that_does_not_parse_is_refused() -> None:
    with pytest.raises(ValidationError, match="not a valid template"):
        PromptContent(template="Hello {{ name ")


def test_hash_ignores_variable_order_not_content() -> None:
    a = PromptContent(template="{{a}} {{b}}", model="m", parameters={"temperature": 0})
    b = PromptContent(
        template="{{a}} {{b}}", variables=["b", "a"], model="m", parameters={"temperature": 0}
    )
    assert content_hash(a) == content_hash(b)
    assert len(content_hash(a)) == 64
    for changed in (
        a.model_copy(update={"template": "{{a}}  {{b}}"}),
        a.model_copy(update={"model": "n"}),
        a.model_copy(update={"parameters": {"temperature": 0.1}}),
        a.model_copy(update={"variables": ["a", "b", "c"]}),
    ):
        assert content_hash(changed) != content_hash(a)


def test_versions_annotation() -> None:
    value = (
        "answer=0123456789abcdef, title = sha256:ABCDEF0123 ,bad=xyz,short=abc,=deadbeef00,noequals"
    )
    assert parse_versions_annotation(value) == {"answer": "0123456789abcdef", "title": "abcdef0123"}
    assert parse_versions_annotation("") == {}
