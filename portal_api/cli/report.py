"""``report``: reports for managers, the same documents the API serves."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from portal_api.cli.common import console, load_settings, open_database

report_app = typer.Typer(help="Reports for managers.", no_args_is_help=True)


@report_app.command("costs")
def report_costs(
    month: Annotated[str, typer.Option(help="Month, YYYY-MM (default: the current month)")] = "",
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="json, csv or html")
    ] = "html",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout)")
    ] = None,
) -> None:
    """Write the monthly cost report (the same as GET /api/v1/reports/costs)."""
    from portal_api.costs.report import cost_report, render
    from portal_api.db import utcnow
    from portal_api.errors import PortalError
    from portal_api.sync.service import freshness, stale_after

    if output_format not in ("json", "csv", "html"):
        console.print(f"[red]--format must be json, csv or html, not {output_format!r}[/red]")
        raise typer.Exit(2)
    settings = load_settings()
    with open_database(settings.database_url, migrate=settings.auto_migrate) as db:
        now = utcnow()
        try:
            with db.session() as session:
                report = cost_report(
                    session=session,
                    month=month or now.strftime("%Y-%m"),
                    now=now,
                    thresholds=settings.budget_thresholds,
                    freshness=freshness(
                        session=session,
                        source="prometheus",
                        now=now,
                        stale_after=stale_after(settings.sync_interval_seconds),
                        configured=bool(settings.prometheus_url),
                    ),
                )
        except PortalError as exc:
            console.print(f"[red]{exc.message}[/red]")
            raise typer.Exit(2) from None
    text = render(report, output_format)
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text)
        console.print(f"cost report for {report.month} written to {output}")
