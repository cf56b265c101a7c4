import { Table, TableColumn, TableOptions } from '@backstage/core-components';
import { columnsFor, useNarrow } from './narrow';

/**
 * A card's table: dense, without search or toolbar unless `options` says so. When the card is
 * narrow it leaves out the `optional` columns (by title): nothing clips, no word breaks
 * mid-word. `testId` marks the table with its row count (`data-count`) for the tests.
 */
export function CardTable<T extends object>(props: {
  columns: TableColumn<T>[];
  data: T[];
  options?: TableOptions<T>;
  optional?: string[];
  title?: string;
  testId?: string;
}) {
  const { columns, data, options, optional = [], title, testId } = props;
  const [tableBox, narrow] = useNarrow<HTMLDivElement>();
  return (
    <div
      ref={tableBox}
      data-testid={testId}
      data-count={testId ? data.length : undefined}
      style={{ width: '100%', minWidth: 0 }}
    >
      <Table<T>
        options={{ search: false, toolbar: false, padding: 'dense', ...options }}
        columns={columnsFor(columns, narrow, optional)}
        data={data}
        title={title}
      />
    </div>
  );
}
