import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { genAiPortalApiRef } from '../../api/GenAiPortalApi';
import type { Change } from '../../api/types';

const DAY_MS = 86_400_000;

/**
 * The app's changes of the last `days` days, for chart markers. A portal without the
 * timeline (or one that fails) leaves the charts without markers rather than broken.
 */
export function useAppChanges(app: string, days: number): Change[] {
  const api = useApi(genAiPortalApiRef);
  const state = useAsync(async () => {
    try {
      const from = new Date(Date.now() - days * DAY_MS).toISOString();
      return (await api.getTimeline(app, { from })).items;
    } catch {
      return [] as Change[];
    }
  }, [api, app, days]);
  return state.value ?? [];
}
