import { Content, Header, Page } from '@backstage/core-components';
import { Grid } from '@material-ui/core';
import { AppsTable } from './AppsTable';
import { BudgetsSection, CostReportSection } from './CostReportSection';

/** The org page for managers: cost report, budgets, top movers and every GenAI app. @public */
export function GenAiPortalPage() {
  return (
    <Page themeId="tool">
      <Header title="GenAI" subtitle="Usage and cost of the organisation's GenAI apps" />
      <Content>
        <Grid container spacing={3}>
          <Grid item xs={12}>
            <CostReportSection />
          </Grid>
          <Grid item xs={12}>
            <BudgetsSection />
          </Grid>
          <Grid item xs={12}>
            <AppsTable />
          </Grid>
        </Grid>
      </Content>
    </Page>
  );
}
