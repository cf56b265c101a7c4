import { Box, Typography } from '@material-ui/core';
import { ReactNode } from 'react';

/** A labelled figure; `testId` lets tests and the browser test read the number. */
export function Stat(props: {
  label: string;
  value: ReactNode;
  testId?: string;
  hint?: ReactNode;
}) {
  return (
    <Box mr={4} mb={1}>
      <Typography variant="caption" color="textSecondary">
        {props.label}
      </Typography>
      <Typography variant="h5" data-testid={props.testId}>
        {props.value}
      </Typography>
      {props.hint && (
        <Typography variant="caption" color="textSecondary">
          {props.hint}
        </Typography>
      )}
    </Box>
  );
}
