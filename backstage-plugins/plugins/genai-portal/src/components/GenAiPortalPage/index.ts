export { GenAiPortalPage } from './GenAiPortalPage';
export { AppsTable } from './AppsTable';
export { BudgetsSection, CostReportSection } from './CostReportSection';
