import { ReactNode, useState } from 'react';
import { InfoCard } from '@backstage/core-components';
import type { PeriodDays } from '../../api/types';
import { AsyncContent } from './AsyncContent';
import { CardId, CARDS, CardSpec, CardValue } from './cards';
import { PeriodSelect } from './PeriodSelect';
import { useAppName } from './useAppName';
import { usePortal } from './usePortal';

/**
 * The entity card `id` of CARDS: its question about the entity's app asked of the portal (again
 * when the user picks another period, on cards with one), in an InfoCard through the states of
 * AsyncContent. `children` draws the answer.
 */
export function EntityCard<K extends CardId>(props: {
  id: K;
  /** Draws the answer (asked for the period `days`). */
  children: (value: CardValue<K>, days: PeriodDays) => ReactNode;
}) {
  const { id, children } = props;
  const spec: CardSpec<CardValue<K>> = CARDS[id];
  const app = useAppName();
  const [days, setDays] = useState<PeriodDays>(30);
  const state = usePortal(api => spec.load(api, app, days), [spec, app, days]);
  const action = spec.period ? (
    <PeriodSelect value={days} onChange={setDays} label={spec.period} />
  ) : undefined;
  return (
    <div data-testid={`card-${id}`}>
      <InfoCard title={spec.title} subheader={spec.subheader} action={action}>
        <AsyncContent state={state} what={spec.what} isEmpty={spec.isEmpty} empty={spec.empty}>
          {value => children(value, days)}
        </AsyncContent>
      </InfoCard>
    </div>
  );
}
