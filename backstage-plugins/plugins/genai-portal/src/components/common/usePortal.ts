import { DependencyList } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { genAiPortalApiRef, type GenAiPortalApi } from '../../api/GenAiPortalApi';

/** The portal's answer to `load` as react-use's async state, asked again when `deps` change. */
export function usePortal<T>(load: (api: GenAiPortalApi) => Promise<T>, deps: DependencyList = []) {
  const api = useApi(genAiPortalApiRef);
  return useAsync(() => load(api), [api, ...deps]);
}
