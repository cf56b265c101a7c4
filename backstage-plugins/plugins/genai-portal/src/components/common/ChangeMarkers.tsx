/*
 * The one marker component of the plugin: changes from the portal's timeline (prompt
 * deploys, model switches, image and scale changes, budgets, findings, eval regressions)
 * drawn as vertical lines on any chart, with a legend that filters them by kind.
 */
import { ReactElement } from 'react';
import { ReferenceLine } from 'recharts';
import { Box, Chip, Typography } from '@material-ui/core';
import type { Change, ChangeKind } from '../../api/types';

/** Every kind of change, in the order the legend lists them. */
export const CHANGE_KINDS: ReadonlyArray<{ kind: ChangeKind; label: string; color: string }> = [
  { kind: 'prompt-deploy', label: 'Prompt deploy', color: '#6a1b9a' },
  { kind: 'prompt-label', label: 'Label move', color: '#ab47bc' },
  { kind: 'model-switch', label: 'Model switch', color: '#d81b60' },
  { kind: 'image', label: 'Image', color: '#1565c0' },
  { kind: 'scale', label: 'Scale', color: '#00838f' },
  { kind: 'knative-revision', label: 'Knative revision', color: '#2e7d32' },
  { kind: 'knative-traffic', label: 'Traffic split', color: '#7cb342' },
  { kind: 'budget', label: 'Budget', color: '#ef6c00' },
  { kind: 'finding-opened', label: 'Finding opened', color: '#c62828' },
  { kind: 'finding-resolved', label: 'Finding resolved', color: '#78909c' },
  { kind: 'eval-regression', label: 'Eval regression', color: '#f9a825' },
];

const BY_KIND = new Map(CHANGE_KINDS.map(k => [k.kind as string, k]));

export function changeColor(kind: string): string {
  return BY_KIND.get(kind)?.color ?? '#888';
}

export function changeLabel(kind: string): string {
  return BY_KIND.get(kind)?.label ?? kind;
}

/** Where a change goes on a chart's x axis: undefined leaves it off the chart. */
export type ChangeX = (change: Change, xs: string[]) => string | undefined;

/**
 * For time axes: the first x at or after the change's time (as the axis formats it); a change
 * before the first x is off the chart.
 */
export function atOrAfter(toX: (iso: string) => string): ChangeX {
  return (change, xs) => {
    const at = toX(change.at);
    if (xs.length === 0 || at < xs[0]) return undefined;
    return xs.find(x => x >= at);
  };
}

/** Changes grouped by the x value they fall on, oldest first; only the enabled kinds. */
export function placeChanges(
  changes: Change[],
  xs: string[],
  xOf: ChangeX,
  hidden: ReadonlySet<string> = new Set(),
): { x: string; changes: Change[] }[] {
  const byX = new Map<string, Change[]>();
  for (const change of [...changes].sort((a, b) => a.at.localeCompare(b.at))) {
    if (hidden.has(change.kind)) continue;
    const x = xOf(change, xs);
    if (x === undefined) continue;
    byX.set(x, [...(byX.get(x) ?? []), change]);
  }
  return [...byX.entries()].map(([x, items]) => ({ x, changes: items }));
}

/** A short label (the kind; the table and the timeline card carry the whole story). */
export function markerText(items: Change[]): string {
  const label = changeLabel(items[0].kind);
  return items.length > 1 ? `${label} +${items.length - 1}` : label;
}

/**
 * The marker lines to put inside a recharts chart (recharts only draws its own element types
 * as children, so this returns them rather than being a component).
 */
export function changeMarkerLines(
  placed: { x: string; changes: Change[] }[],
): ReactElement[] {
  return placed.map(({ x, changes }) => (
    <ReferenceLine
      key={`change-${x}`}
      x={x}
      stroke={changeColor(changes[0].kind)}
      strokeDasharray="4 2"
      ifOverflow="extendDomain"
      label={{ value: markerText(changes), position: 'insideTopRight', fontSize: 10 }}
    />
  ));
}

/** Chips per kind present (with counts); clicking one hides or shows its markers. */
export function ChangeLegend(props: {
  changes: Change[];
  hidden: ReadonlySet<string>;
  onToggle: (kind: string) => void;
  testId?: string;
}) {
  const { changes, hidden, onToggle } = props;
  const counts = new Map<string, number>();
  for (const c of changes) counts.set(c.kind, (counts.get(c.kind) ?? 0) + 1);
  if (counts.size === 0) return null;
  return (
    <Box
      display="flex"
      flexWrap="wrap"
      alignItems="center"
      mt={0.5}
      data-testid={props.testId ?? 'change-legend'}
    >
      <Typography variant="caption" color="textSecondary" style={{ marginRight: 8 }}>
        Changes:
      </Typography>
      {CHANGE_KINDS.filter(k => counts.has(k.kind)).map(k => {
        const shown = !hidden.has(k.kind);
        return (
          <Chip
            key={k.kind}
            size="small"
            clickable
            variant={shown ? 'default' : 'outlined'}
            aria-pressed={shown}
            data-testid={`change-kind-${k.kind}`}
            label={`${k.label} (${counts.get(k.kind)})`}
            onClick={() => onToggle(k.kind)}
            style={{
              marginRight: 4,
              marginBottom: 4,
              borderLeft: `4px solid ${k.color}`,
              opacity: shown ? 1 : 0.5,
            }}
          />
        );
      })}
    </Box>
  );
}

/** Toggles a kind in a set of hidden kinds (a new set, for React state). */
export function toggled(hidden: ReadonlySet<string>, kind: string): Set<string> {
  const next = new Set(hidden);
  if (next.has(kind)) next.delete(kind);
  else next.add(kind);
  return next;
}
