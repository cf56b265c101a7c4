/**
 * The GenAI Portal's Backstage plugin: a GenAI tab on every app and the org-wide cost pages.
 *
 * @packageDocumentation
 */
export {
  genAiPortalPlugin,
  GenAiPortalPage,
  EntityGenAiContent,
  EntityGenAiUsageCard,
  EntityGenAiCostCard,
  EntityGenAiPromptsCard,
  EntityGenAiEvalsCard,
  EntityGenAiSecurityCard,
  EntityGenAiReadinessCard,
  EntityGenAiTimelineCard,
} from './plugin';
export { isGenAiApp } from './components/common/useAppName';
export * from './api';
