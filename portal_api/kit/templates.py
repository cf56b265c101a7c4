"""The one template language of prompts: Jinja2, in a sandbox, with strict undefined.

Prompt versions declare their variables from it and evaluation runs render with it, so
``{{ question | trim }}`` or ``{{ user.name }}`` mean the same thing everywhere: a variable
the template uses is declared, and reaches the model rendered, never as literal text.
Templates are data from CI and ConfigMaps: the sandbox refuses attribute access to Python
internals, and repetition that would build huge strings.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, UndefinedError, nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from portal_api.kit.identity import template_variables

# A rendered prompt longer than this is refused (a template's own text is capped at 200 kB).
MAX_RENDERED_CHARS = 1_000_000


_UNDEFINED = re.compile(r"('[^']*') is undefined")


class TemplateProblem(ValueError):
    """A template that does not parse, uses a missing variable, or breaks the sandbox."""


def _finalize(value: Any) -> Any:
    # Structured values reach the model as JSON, as a dataset line holds them.
    if isinstance(value, dict | list | bool) or value is None:
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


class _Sandbox(SandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            raise SecurityError("the power operator is not allowed in prompt templates")
        for seq, times in ((left, right), (right, left)):
            if (
                isinstance(seq, str | list | tuple)
                and isinstance(times, int)
                and len(seq) * times > MAX_RENDERED_CHARS
            ):
                raise SecurityError("repetition would build a value larger than allowed")
        return super().call_binop(context, operator, left, right)


@lru_cache(maxsize=1)
def environment() -> SandboxedEnvironment:
    return _Sandbox(
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        finalize=_finalize,
    )


def _parse(template: str) -> nodes.Template:
    try:
        return environment().parse(template)
    except TemplateSyntaxError as exc:
        raise TemplateProblem(f"not a valid template (line {exc.lineno}): {exc.message}") from None


def variables(template: str) -> list[str]:
    """The variables a template needs from its caller, in order of first use.

    Raises:
        TemplateProblem: the template does not parse.
    """
    try:
        return template_variables(template)
    except TemplateSyntaxError as exc:
        raise TemplateProblem(f"not a valid template (line {exc.lineno}): {exc.message}") from None


def render(template: str, values: dict[str, Any]) -> str:
    """The template rendered with ``values``.

    Raises:
        TemplateProblem: a syntax error, a variable ``values`` lacks, or a sandbox violation.
    """
    compiled = environment().from_string(_parse(template))
    try:
        text = compiled.render(values)
    except UndefinedError as exc:
        message = exc.message or "a variable is undefined"
        missing = _UNDEFINED.fullmatch(message)
        raise TemplateProblem(
            f"variable {missing.group(1)} is missing" if missing else message
        ) from None
    except SecurityError as exc:
        raise TemplateProblem(f"not allowed in a template: {exc}") from None
    except TemplateError as exc:
        raise TemplateProblem(f"cannot render: {exc}") from None
    except (TypeError, ValueError, ArithmeticError) as exc:
        raise TemplateProblem(f"cannot render: {exc}") from None
    if len(text) > MAX_RENDERED_CHARS:
        raise TemplateProblem(f"renders to more than {MAX_RENDERED_CHARS} characters")
    return text
