import { MenuItem, Select } from '@material-ui/core';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { PeriodDays } from '../../api/types';
import { genAiPortalTranslationRef } from '../../translation';

const PERIODS: PeriodDays[] = [7, 30, 90];

/** The period picker of the cards: the last 7, 30 or 90 days; `label` names the select. */
export function PeriodSelect(props: {
  value: PeriodDays;
  onChange: (days: PeriodDays) => void;
  label: string;
}) {
  const { t } = useTranslationRef(genAiPortalTranslationRef);
  return (
    <Select
      value={props.value}
      onChange={e => props.onChange(Number(e.target.value) as PeriodDays)}
      inputProps={{ 'aria-label': props.label }}
    >
      {PERIODS.map(days => (
        <MenuItem key={days} value={days}>
          {t('lastDays', { days: String(days) })}
        </MenuItem>
      ))}
    </Select>
  );
}
