import { Grid } from '@material-ui/core';
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
    <Grid container spacing={3} alignItems="stretch">
      <Grid item xs={12}>
        <ReadinessCard />
      </Grid>
      <Grid item xs={12}>
        <UsageCard />
      </Grid>
      <Grid item xs={12} lg={6}>
        <CostCard />
      </Grid>
      <Grid item xs={12} lg={6}>
        <SecurityCard />
      </Grid>
      <Grid item xs={12}>
        <PromptsCard />
      </Grid>
      <Grid item xs={12}>
        <EvalsCard />
      </Grid>
      <Grid item xs={12}>
        <TimelineCard />
      </Grid>
    </Grid>
  );
}
