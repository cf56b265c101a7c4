import { ReactElement } from 'react';
import { Grid } from '@material-ui/core';

/** One cell of a page: its element, full width, or half width on large screens. */
export interface GridCell {
  key: string;
  element: ReactElement;
  half?: boolean;
}

/** A page's cards or sections one under the other; half-width cells pair up on large screens. */
export function CardGrid(props: { cells: GridCell[] }) {
  return (
    <Grid container spacing={3}>
      {props.cells.map(cell => (
        <Grid item key={cell.key} xs={12} lg={cell.half ? 6 : undefined}>
          {cell.element}
        </Grid>
      ))}
    </Grid>
  );
}
