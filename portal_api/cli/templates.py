"""Commands that create a project: ``new`` (from a template) and ``promote`` (from a notebook)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from portal_api.cli.common import console

# The options `new` and `promote` share, declared once.
Name = Annotated[str, typer.Option(help="Component name (lowercase, digits, dashes)")]
Owner = Annotated[str | None, typer.Option(help="Owning team (a Backstage Group)")]
Description = Annotated[str | None, typer.Option(help="One sentence")]
System = Annotated[str | None, typer.Option(help="Backstage System")]
Namespace = Annotated[str | None, typer.Option(help="Kubernetes namespace")]
Repo = Annotated[str | None, typer.Option(help="GitHub owner/name of the new repo")]
OutputDir = Annotated[Path, typer.Option(help="Where the project folder is created")]


def _answers(
    name: str,
    owner: str | None,
    description: str | None,
    system: str | None,
    model: str | None,
    namespace: str | None,
    repo: str | None,
) -> dict[str, Any]:
    """The template answers given on the command line (the template's defaults fill the rest)."""
    given = {"component_id": name, "owner": owner, "description": description, "system": system}
    given |= {"model": model, "namespace": namespace, "repo_slug": repo}
    return {k: v for k, v in given.items() if v is not None}


def new(
    template: Annotated[str, typer.Argument(help="genai-service, gradio-app or rag-service")],
    name: Name,
    owner: Owner = None,
    description: Description = None,
    system: System = None,
    model: Annotated[str | None, typer.Option(help="Model endpoint the service calls")] = None,
    namespace: Namespace = None,
    serverless: Annotated[
        bool, typer.Option(help="Knative Service overlay instead of a Deployment")
    ] = False,
    repo: Repo = None,
    output_dir: OutputDir = Path("."),
    template_dir: Annotated[
        Path | None, typer.Option(help="Templates folder (default: the portal's own)")
    ] = None,
    force: Annotated[bool, typer.Option(help="Overwrite an existing project folder")] = False,
) -> None:
    """Create a GenAI service from a scaffolder template, without Backstage."""
    from portal_api.errors import InvalidInputError
    from portal_api.scaffolder import TEMPLATES_DIR, ProjectRequest, render

    answers = _answers(name, owner, description, system, model, namespace, repo)
    answers["serverless"] = serverless
    request = ProjectRequest(template, answers, output_dir, template_dir or TEMPLATES_DIR, force)
    try:
        project = render(request)
    except InvalidInputError as exc:
        console.print(f"[red]error:[/red] {exc.message}")
        raise typer.Exit(2) from None
    console.print(f"created [bold]{project}[/bold] from {template}; next: see its README.md")


def promote(
    notebook: Annotated[
        Path, typer.Argument(help="The notebook (cells tagged setup, prompt, assistant, examples)")
    ],
    template: Annotated[str, typer.Option(help="gradio-app, genai-service or rag-service")],
    name: Name,
    owner: Owner = None,
    description: Description = None,
    system: System = None,
    model: Annotated[
        str | None, typer.Option(help="Model endpoint (default: the prompt cell's MODEL)")
    ] = None,
    namespace: Namespace = None,
    repo: Repo = None,
    output_dir: OutputDir = Path("."),
    force: Annotated[bool, typer.Option(help="Replace an existing project folder")] = False,
) -> None:
    """Turn a notebook into a service: its assistant, prompts and examples, guarded and measured."""
    from portal_api.errors import InvalidInputError
    from portal_api.notebooks.promote import promote as run_promote
    from portal_api.scaffolder import ProjectRequest

    answers = _answers(name, owner, description, system, model, namespace, repo)
    try:
        project = run_promote(
            notebook, ProjectRequest(template, answers, output_dir, overwrite=force)
        )
    except InvalidInputError as exc:
        console.print(f"[red]error:[/red] {exc.message}", highlight=False)
        raise typer.Exit(2) from None
    console.print(f"promoted {notebook} to [bold]{project}[/bold] ({template}); see its README.md")
