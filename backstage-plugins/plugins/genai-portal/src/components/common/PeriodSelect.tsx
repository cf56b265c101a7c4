import { MenuItem, Select } from '@material-ui/core';
import type { PeriodDays } from '../../api/types';

/** The period picker of the cards: the last 7, 30 or 90 days. */
export function PeriodSelect(props: {
  value: PeriodDays;
  onChange: (days: PeriodDays) => void;
  label?: string;
}) {
  return (
    <Select
      value={props.value}
      onChange={e => props.onChange(Number(e.target.value) as PeriodDays)}
      inputProps={{ 'aria-label': props.label ?? 'Period' }}
    >
      <MenuItem value={7}>Last 7 days</MenuItem>
      <MenuItem value={30}>Last 30 days</MenuItem>
      <MenuItem value={90}>Last 90 days</MenuItem>
    </Select>
  );
}
