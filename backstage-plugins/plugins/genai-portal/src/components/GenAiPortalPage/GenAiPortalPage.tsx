import { Content, Header, Page } from '@backstage/core-components';
import { CardGrid } from '../common/CardGrid';
import { AppsTable } from './AppsTable';
import { BudgetsSection, CostReportSection } from './CostReportSection';

/** The org page for managers: cost report, budgets, top movers and every GenAI app. @public */
export function GenAiPortalPage() {
  return (
    <Page themeId="tool">
      <Header title="GenAI" subtitle="Usage and cost of the organisation's GenAI apps" />
      <Content>
        <CardGrid
          cells={[
            { key: 'cost-report', element: <CostReportSection /> },
            { key: 'budgets', element: <BudgetsSection /> },
            { key: 'apps', element: <AppsTable /> },
          ]}
        />
      </Content>
    </Page>
  );
}
