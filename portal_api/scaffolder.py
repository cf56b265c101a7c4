"""Render the scaffolder templates locally, as Backstage's ``fetch:cookiecutter`` steps do.

Each part of a template is a ``skeleton/`` folder (the project's files, with cookiecutter
placeholders) and a ``cookiecutter.json`` of defaults. A project is rendered in two passes into
the same folder: the part every template shares (``_common``: guards, metrics, prompts,
evaluations, manifests, CI, catalog-info) and then the template's own part (its app and tests).
The template.yaml files run the same two ``fetch:cookiecutter`` steps; Backstage wraps each
skeleton in a cookiecutter template of its own, and so does :func:`render`.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from portal_api.errors import InvalidInputError

PORTAL_ROOT = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = PORTAL_ROOT / "scaffolder-templates"
COMMON = "_common"
NAME_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,50}[a-z0-9])?$")


def list_templates(template_dir: Path = TEMPLATES_DIR) -> list[str]:
    """The templates in ``template_dir``: folders with a template.yaml and a skeleton."""
    return sorted(
        p.name
        for p in template_dir.iterdir()
        if (p / "template.yaml").is_file() and (p / "skeleton").is_dir()
    )


def models(template_dir: Path = TEMPLATES_DIR) -> dict[str, dict[str, str]]:
    """The model endpoints the templates offer: name -> provider, base_url, api, embedding."""
    table: dict[str, dict[str, str]] = yaml.safe_load(
        (template_dir / COMMON / "models.yaml").read_text()
    )
    return table


def defaults(template: str, template_dir: Path = TEMPLATES_DIR) -> dict[str, Any]:
    """The answers a render of ``template`` uses when none are given: the shared defaults, then
    the template's own (derived values are left to cookiecutter)."""
    answers: dict[str, Any] = {}
    for part in (COMMON, template):
        context = json.loads((template_dir / part / "cookiecutter.json").read_text())
        answers.update((key, value) for key, value in context.items() if "{{" not in str(value))
    return answers


def _check(context: dict[str, Any]) -> None:
    if not NAME_PATTERN.match(str(context["component_id"])):
        raise InvalidInputError(
            f"component_id {context['component_id']!r}: lowercase letters, digits and dashes, "
            "starting and ending alphanumeric, at most 52"
        )
    if context["model"] not in context["_models"]:
        known = ", ".join(context["_models"])
        raise InvalidInputError(f"unknown model {context['model']!r} (known: {known})")
    if not isinstance(context["serverless"], bool):
        raise InvalidInputError("serverless must be true or false")


def _cookiecutter_template(part: Path, context: dict[str, Any], into: Path) -> Path:
    """A cookiecutter template of ``part``: its skeleton as the project folder, its hooks, and
    a cookiecutter.json holding every answer (as Backstage writes it from the step's values)."""
    into.mkdir()
    shutil.copytree(part / "skeleton", into / "{{cookiecutter.component_id}}")
    if (part / "hooks").is_dir():
        shutil.copytree(part / "hooks", into / "hooks")
    own = json.loads((part / "cookiecutter.json").read_text())
    (into / "cookiecutter.json").write_text(json.dumps({**own, **context}))
    return into


@dataclass(frozen=True)
class ProjectRequest:
    """A project to make: ``template`` with ``answers``, into ``output_dir``/<component_id>."""

    template: str
    answers: dict[str, Any]
    output_dir: Path
    template_dir: Path = TEMPLATES_DIR
    overwrite: bool = False


def render(request: ProjectRequest) -> Path:
    """Render the requested template with its answers into ``output_dir``/<component_id>.

    Returns:
        The generated project's directory.

    Raises:
        InvalidInputError: unknown template, or answers that make no valid project.
    """
    from cookiecutter.exceptions import CookiecutterException, FailedHookException
    from cookiecutter.main import cookiecutter

    template, answers, template_dir = request.template, request.answers, request.template_dir
    if template not in list_templates(template_dir):
        known = ", ".join(list_templates(template_dir))
        raise InvalidInputError(f"no template {template!r} in {template_dir} (known: {known})")
    answerable = set(json.loads((template_dir / COMMON / "cookiecutter.json").read_text()))
    if unknown := sorted(set(answers) - answerable):
        names = ", ".join(sorted(answerable))
        raise InvalidInputError(f"unknown answers {unknown} (known: {names})")
    # Both passes get every answer, so that their defaults cannot disagree.
    context = {
        **defaults(template, template_dir),
        **answers,
        "template_name": template,
        "_models": models(template_dir),
    }
    _check(context)
    request.output_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="genai-portal-cookiecutter-") as tmp:
        # Keep cookiecutter's replay files out of the user's home directory.
        config = Path(tmp) / "config.yaml"
        config.write_text(
            json.dumps({"replay_dir": str(Path(tmp) / "replay"), "cookiecutters_dir": tmp})
        )
        try:
            # The shared part first: the template's own files may replace shared ones.
            for part, overwrite_part in ((COMMON, request.overwrite), (template, True)):
                project = cookiecutter(
                    str(_cookiecutter_template(template_dir / part, context, Path(tmp) / part)),
                    no_input=True,
                    output_dir=str(request.output_dir),
                    overwrite_if_exists=overwrite_part,
                    config_file=str(config),
                )
        except FailedHookException as exc:
            raise InvalidInputError(f"the template refused the answers: {exc}") from None
        except (CookiecutterException, ValueError) as exc:
            raise InvalidInputError(f"cannot render {template}: {exc}") from None
    return Path(project)


# Backstage resolves a template's relative paths inside the template's own folder only (a file
# location refuses `../`, and neither `$yaml` nor `$text` is resolved for it), so each template
# folder must be self-contained. `_common/` stays the one source of what the templates share:
# :func:`build_templates` copies it into every template (`common-skeleton/` and the marked blocks
# of template.yaml); `make templates` runs it and a test fails when a copy has drifted.
COMMON_COPY = "common-skeleton"
_BLOCK = re.compile(
    r"^(?P<indent>[ ]*)# >>> generated from _common/(?P<source>[\w.-]+)[^\n]*\n"
    r".*?"
    r"^(?P=indent)# <<< _common/(?P=source)\n",
    re.MULTILINE | re.DOTALL,
)


def _with_shared_blocks(text: str, template_dir: Path) -> str:
    """template.yaml with each marked block refilled from the ``_common`` file it names."""

    def refill(match: re.Match[str]) -> str:
        indent, source = match["indent"], match["source"]
        lines = [
            line
            for line in (template_dir / COMMON / source).read_text().splitlines()
            if line.strip() and not line.startswith("#")
        ]
        body = "".join(f"{indent}{line}\n" for line in lines)
        return (
            f"{indent}# >>> generated from _common/{source} by `make templates`: edit that file\n"
            f"{body}{indent}# <<< _common/{source}\n"
        )

    return _BLOCK.sub(refill, text)


# Files of `_common/skeleton` generated from the portal's own code (a generated service cannot
# import portal_api): the path in the skeleton -> the portal file it is made from.
GENERATED = {
    "src/{{cookiecutter.package}}/prompt_identity.py": PORTAL_ROOT / "portal_api/kit/identity.py",
}


def generated_file(source: Path) -> bytes:
    """``source`` under a first line that says where it comes from."""
    origin = source.relative_to(PORTAL_ROOT).as_posix()
    header = f"# Generated from {origin} by `make templates`: edit that file, not this one.\n"
    return header.encode() + source.read_bytes()


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def build_templates(*, check: bool = False, template_dir: Path = TEMPLATES_DIR) -> list[str]:
    """Make every template folder self-contained from ``_common``, after refreshing the files
    of ``_common`` that are generated from the portal's code (:data:`GENERATED`).

    Args:
        check: only report what is out of date, change nothing.
        template_dir: the templates folder.

    Returns:
        The paths (relative to ``template_dir``) that were, or would be, rewritten.
    """
    changed: list[str] = []
    skeleton = template_dir / COMMON / "skeleton"
    for path, source in GENERATED.items():
        target, content = skeleton / path, generated_file(source)
        if not target.is_file() or target.read_bytes() != content:
            changed.append(f"{COMMON}/skeleton/{path}")
            if not check:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(content)
    common = {**_tree(skeleton), **{path: generated_file(src) for path, src in GENERATED.items()}}
    for template in list_templates(template_dir):
        folder = template_dir / template
        spec = folder / "template.yaml"
        text = spec.read_text()
        if (wanted := _with_shared_blocks(text, template_dir)) != text:
            changed.append(f"{template}/template.yaml")
            if not check:
                spec.write_text(wanted)
        copy = folder / COMMON_COPY
        if not copy.is_dir() or _tree(copy) != common:
            changed.append(f"{template}/{COMMON_COPY}/")
            if not check:
                shutil.rmtree(copy, ignore_errors=True)
                shutil.copytree(
                    skeleton,
                    copy,
                    ignore=shutil.ignore_patterns("__pycache__"),
                )
    return changed
