import { Chip, Tooltip } from '@material-ui/core';
import type { Freshness } from '../../api/types';

/**
 * Marks data whose source has not synced recently, or never has. Nothing for a source that is
 * off (the portal reads nothing from it, so nothing is out of date) or fresh.
 */
export function StaleChip(props: { freshness?: Freshness }) {
  const { freshness } = props;
  if (!freshness?.stale || freshness.state === 'off') return null;
  const source = freshness.source || 'data';
  const never = freshness.state === 'never-synced' || !freshness.as_of;
  const title = never
    ? `The ${source} source is configured but has not synced yet.`
    : `The ${source} source has not synced recently (as of ${freshness.as_of}).`;
  return (
    <Tooltip title={title}>
      <Chip
        size="small"
        label={never ? 'never synced' : 'stale'}
        color="secondary"
        data-testid="stale"
      />
    </Tooltip>
  );
}
