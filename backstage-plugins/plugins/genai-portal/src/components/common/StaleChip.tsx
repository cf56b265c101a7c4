import { Chip, Tooltip } from '@material-ui/core';
import type { Freshness } from '../../api/types';

/** Marks data whose source has not synced recently. */
export function StaleChip(props: { freshness?: Freshness }) {
  const { freshness } = props;
  if (!freshness?.stale) return null;
  const asOf = freshness.asOf ? `as of ${freshness.asOf}` : 'never synced';
  return (
    <Tooltip
      title={`The ${freshness.source ?? 'data'} source has not synced recently (${asOf}).`}
    >
      <Chip
        size="small"
        label="stale"
        color="secondary"
        data-testid="stale"
      />
    </Tooltip>
  );
}
