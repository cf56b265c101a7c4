import type { Entity } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';

/** The label that ties workloads to their Component, as Backstage's Kubernetes plugin uses it. */
export const KUBERNETES_ID_ANNOTATION = 'backstage.io/kubernetes-id';

/** The portal's name of the app an entity describes. */
export function appNameOf(entity: Entity): string {
  return (
    entity.metadata.annotations?.[KUBERNETES_ID_ANNOTATION] ??
    entity.metadata.name
  );
}

/** True for Components that carry `backstage.io/kubernetes-id`: the GenAI tab shows on them. @public */
export function isGenAiApp(entity: Entity): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'component' &&
    Boolean(entity.metadata.annotations?.[KUBERNETES_ID_ANNOTATION])
  );
}

export function useAppName(): string {
  const { entity } = useEntity();
  return appNameOf(entity);
}
