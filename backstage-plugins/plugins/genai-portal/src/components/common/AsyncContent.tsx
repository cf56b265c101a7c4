import { ReactNode } from 'react';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { Typography } from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { isNotAvailable } from '../../api/errors';
import { genAiPortalTranslationRef } from '../../translation';

/** Says that the portal does not serve this feature (yet). */
export function NotAvailable(props: { what: string }) {
  const { t } = useTranslationRef(genAiPortalTranslationRef);
  return (
    <Alert severity="info" data-testid="not-available">
      {t('notAvailable', { what: props.what })}
    </Alert>
  );
}

export function EmptyMessage(props: { children: ReactNode }) {
  return (
    <Typography variant="body2" color="textSecondary" data-testid="empty">
      {props.children}
    </Typography>
  );
}

/**
 * The states every card goes through: loading, not available (the portal lacks the
 * route), error, empty, and data.
 */
export function AsyncContent<T>(props: {
  state: { loading: boolean; error?: Error; value?: T };
  what: string;
  isEmpty?: (value: T) => boolean;
  empty?: ReactNode;
  children: (value: T) => ReactNode;
}) {
  const { state, what, isEmpty, empty, children } = props;
  const { t } = useTranslationRef(genAiPortalTranslationRef);
  if (state.loading) return <Progress />;
  if (state.error) {
    if (isNotAvailable(state.error)) return <NotAvailable what={what} />;
    return <ResponseErrorPanel error={state.error} />;
  }
  if (state.value === undefined) return <Progress />;
  if (isEmpty?.(state.value)) {
    return <EmptyMessage>{empty ?? t('empty', { what })}</EmptyMessage>;
  }
  return <>{children(state.value)}</>;
}
