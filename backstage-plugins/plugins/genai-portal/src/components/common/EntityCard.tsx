import { ReactNode, useState } from 'react';
import { InfoCard } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { PeriodDays } from '../../api/types';
import { AsyncContent } from './AsyncContent';
import { CardId, CARDS, CardSpec, CardValue } from './cards';
import { PeriodSelect } from './PeriodSelect';
import { useAppName } from './useAppName';
import { usePortal } from './usePortal';
import { genAiPortalTranslationRef, GenAiPortalMessageKey } from '../../translation';

/**
 * The entity card `id` of CARDS: its question about the entity's app asked of the portal (again
 * when the user picks another period, on cards with one), in an InfoCard through the states of
 * AsyncContent, with its texts `cards.<id>.*` of the translation ref. `children` draws the answer.
 */
export function EntityCard<K extends CardId>(props: {
  id: K;
  /** Draws the answer (asked for the period `days`). */
  children: (value: CardValue<K>, days: PeriodDays) => ReactNode;
}) {
  const { id, children } = props;
  const spec: CardSpec<CardValue<K>> = CARDS[id];
  const { t } = useTranslationRef(genAiPortalTranslationRef);
  // Every card has a title, subheader and what; the cards with isEmpty or period the text too.
  const text = (field: 'title' | 'subheader' | 'what' | 'empty' | 'period') =>
    t(`cards.${id}.${field}` as Extract<GenAiPortalMessageKey, `cards.${string}`>);
  const app = useAppName();
  const [days, setDays] = useState<PeriodDays>(30);
  const state = usePortal(api => spec.load(api, app, days), [spec, app, days]);
  const action = spec.period ? (
    <PeriodSelect value={days} onChange={setDays} label={text('period')} />
  ) : undefined;
  return (
    <div data-testid={`card-${id}`}>
      <InfoCard title={text('title')} subheader={text('subheader')} action={action}>
        <AsyncContent
          state={state}
          what={text('what')}
          isEmpty={spec.isEmpty}
          empty={spec.isEmpty && text('empty')}
        >
          {value => children(value, days)}
        </AsyncContent>
      </InfoCard>
    </div>
  );
}
