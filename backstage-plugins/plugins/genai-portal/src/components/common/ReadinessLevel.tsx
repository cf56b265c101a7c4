import { Chip } from '@material-ui/core';

const LEVEL_COLORS: Record<string, string> = {
  gold: '#c9a227',
  silver: '#9e9e9e',
  bronze: '#a0643c',
};

/** An app's readiness level as a coloured chip ("none" below the lowest level). */
export function LevelChip(props: { level: string | null | undefined; testId?: string }) {
  const level = props.level ?? 'none';
  const color = LEVEL_COLORS[level];
  return (
    <Chip
      size="small"
      label={level}
      data-testid={props.testId ?? 'readiness-level'}
      variant={color ? 'default' : 'outlined'}
      style={color ? { backgroundColor: color, color: '#fff', fontWeight: 600 } : undefined}
    />
  );
}

/** Sort rank of a level among the scorecard's levels (lowest first); none ranks 0. */
export function levelRank(levels: string[], level: string | null | undefined): number {
  return level ? levels.indexOf(level) + 1 : 0;
}
