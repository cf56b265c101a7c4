import { CardGrid } from '../common/CardGrid';
import { CostCard } from '../CostCard';
import { EvalsCard } from '../EvalsCard';
import { PromptsCard } from '../PromptsCard';
import { ReadinessCard } from '../ReadinessCard';
import { SecurityCard } from '../SecurityCard';
import { TimelineCard } from '../TimelineCard';
import { UsageCard } from '../UsageCard';

/** The GenAI tab of an app's entity page: every card. @public */
export function EntityGenAiContent() {
  return (
    <CardGrid
      cells={[
        { key: 'readiness', element: <ReadinessCard /> },
        { key: 'usage', element: <UsageCard /> },
        { key: 'cost', element: <CostCard />, half: true },
        { key: 'security', element: <SecurityCard />, half: true },
        { key: 'prompts', element: <PromptsCard /> },
        { key: 'evals', element: <EvalsCard /> },
        { key: 'timeline', element: <TimelineCard /> },
      ]}
    />
  );
}
