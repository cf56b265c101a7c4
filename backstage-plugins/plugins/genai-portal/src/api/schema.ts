/*
 * Generated from catalog/openapi.json (the GenAI Portal's OpenAPI document) by scripts/openapi-types.mjs.
 * Do not edit: run `make openapi plugins-types` at the repository root.
 */
/* eslint-disable */

export interface paths {
    "/api/v1/apps": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Apps
         * @description List GenAI apps, filtered by team, namespace and status.
         */
        get: operations["list_apps_api_v1_apps_get"];
        put?: never;
        /**
         * Create App
         * @description Register an app that runs outside the cluster (the same registration again: 200).
         */
        post: operations["create_app_api_v1_apps_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/apps/{app}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get App
         * @description One app with its workloads.
         */
        get: operations["get_app_api_v1_apps__app__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/apps/{app}/costs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * App Costs
         * @description An app's costs (USD) per model and bucket; unpriced usage is listed, never costed at 0.
         */
        get: operations["app_costs_api_v1_apps__app__costs_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/apps/{app}/evals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Runs
         * @description Evaluation runs of an app, newest first, filtered by prompt, version and dataset.
         */
        get: operations["list_runs_api_v1_apps__app__evals_get"];
        put?: never;
        /**
         * Ingest Run
         * @description Store a run from CI: the portal's JSON, or a promptfoo results file (?prompt=...).
         *
         *     Idempotent: posting the same run again (same `external_id` or promptfoo `evalId`, else
         *     the same content) answers 200 with the stored run instead of storing another.
         */
        post: operations["ingest_run_api_v1_apps__app__evals_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/apps/{app}/evals/{run_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Run
         * @description One evaluation run with its cases.
         */
        get: operations["get_run_api_v1_apps__app__evals__run_id__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/apps/{app}/evals/regressions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Open Regressions
         * @description Regressions still standing: the app's badge (per prompt and dataset, the newest run).
         */
        get: operations["open_regressions_api_v1_apps__app__evals_regressions_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/apps/{app}/evals/run": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Run Eval
         * @description Run a dataset through a prompt version on the model endpoint and store the scores.
         */
        post: operations["run_eval_api_v1_apps__app__evals_run_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/apps/{app}/evals/trend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Score Trend
         * @description Scores per version of a prompt, oldest first: which version moved quality.
         */
        get: operations["score_trend_api_v1_apps__app__evals_trend_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/apps/{app}/findings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List App Findings
         * @description An app's security findings, most severe first, with open counts by severity.
         */
        get: operations["list_app_findings_api_v1_apps__app__findings_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/apps/{app}/guardrails": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * App Guardrails
         * @description Blocked and flagged guardrail events per rule and direction, hour by hour.
         */
        get: operations["app_guardrails_api_v1_apps__app__guardrails_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/apps/{app}/prompts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Prompts
         * @description Prompts of an app: latest version, labels, what runs now, regression flag.
         */
        get: operations["list_prompts_api_v1_apps__app__prompts_get"];
        put?: never;
        /**
         * Ingest Prompts
         * @description Record the prompt files of a CI build; content seen before is the same version.
         */
        post: operations["ingest_prompts_api_v1_apps__app__prompts_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/apps/{app}/prompts/{name}/labels/{label}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Move Label
         * @description Point a label at a version; moving it back is a rollback.
         */
        put: operations["move_label_api_v1_apps__app__prompts__name__labels__label__put"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/apps/{app}/prompts/{name}/labels/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Label History
         * @description Every move of the prompt's labels, newest first.
         */
        get: operations["label_history_api_v1_apps__app__prompts__name__labels_history_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/apps/{app}/prompts/{name}/timeline": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Deploy Timeline
         * @description Which version ran in which workload, when (newest first): the deploy timeline.
         */
        get: operations["deploy_timeline_api_v1_apps__app__prompts__name__timeline_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/apps/{app}/prompts/{name}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Versions
         * @description Versions of a prompt, newest first, with scores, usage and labels.
         */
        get: operations["list_versions_api_v1_apps__app__prompts__name__versions_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/apps/{app}/prompts/{name}/versions/{number}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Version
         * @description One version: content, scores, usage and its deploy timeline.
         */
        get: operations["get_version_api_v1_apps__app__prompts__name__versions__number__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/apps/{app}/prompts/{name}/versions/{number}/diff": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Diff Version
         * @description Unified diff of template and parameters between two versions.
         */
        get: operations["diff_version_api_v1_apps__app__prompts__name__versions__number__diff_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/apps/{app}/readiness": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * App Readiness
         * @description An app's production readiness: every check with why and how to fix, level, history.
         */
        get: operations["app_readiness_api_v1_apps__app__readiness_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/apps/{app}/security": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * App Security Summary
         * @description Open findings of an app by severity and source; its vulnerabilities fixable or not.
         */
        get: operations["app_security_summary_api_v1_apps__app__security_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/apps/{app}/timeline": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * App Timeline
         * @description An app's changes: prompt deploys and label moves, model switches, image, scale and
         *     Knative changes, budgets, findings opened or resolved, eval regressions.
         */
        get: operations["app_timeline_api_v1_apps__app__timeline_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/apps/{app}/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * App Usage
         * @description An app's usage per model: tokens by type, requests, errors, latency and TTFT quantiles.
         */
        get: operations["app_usage_api_v1_apps__app__usage_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/budgets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Budgets
         * @description Monthly budgets with spend so far, month-end forecast and alert states.
         */
        get: operations["list_budgets_api_v1_budgets_get"];
        put?: never;
        /**
         * Create Budget
         * @description Set a monthly budget (USD) for a team or an app (the same budget again: 200).
         */
        post: operations["create_budget_api_v1_budgets_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/budgets/{budget_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Update Budget
         * @description Change a budget's monthly amount.
         */
        put: operations["update_budget_api_v1_budgets__budget_id__put"];
        post?: never;
        /**
         * Delete Budget
         * @description Remove a budget.
         */
        delete: operations["delete_budget_api_v1_budgets__budget_id__delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/catalog/entities": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Entities
         * @description Discovered apps as Backstage Component entities (multi-document YAML), for a url location.
         */
        get: operations["list_entities_api_v1_catalog_entities_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/changes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Org Changes
         * @description Every app's changes, newest first (the org feed), filtered by kind and team.
         */
        get: operations["org_changes_api_v1_changes_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/costs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Org Costs
         * @description Org-wide costs by team, app or model, with the previous period and the change.
         */
        get: operations["org_costs_api_v1_costs_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/costs/anomalies": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Anomalies
         * @description Days on which an app's cost jumped far above its trailing baseline.
         */
        get: operations["anomalies_api_v1_costs_anomalies_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/findings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Findings
         * @description Findings of every app, with open counts per team.
         */
        get: operations["list_findings_api_v1_findings_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/findings/{finding_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Finding
         * @description One finding with its history (opened, resolved, reopened, suppressed...).
         */
        get: operations["get_finding_api_v1_findings__finding_id__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/findings/{finding_id}/suppress": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Suppress Finding
         * @description Suppress a finding until a given time, with a reason (admin).
         */
        post: operations["suppress_finding_api_v1_findings__finding_id__suppress_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/findings/{finding_id}/unsuppress": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Unsuppress Finding
         * @description Lift a finding's suppression (admin).
         */
        post: operations["unsuppress_finding_api_v1_findings__finding_id__unsuppress_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/guard/canary": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Guard Canary
         * @description A fresh canary token to plant in a system prompt and pass back in ``canaries``.
         */
        post: operations["guard_canary_api_v1_guard_canary_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/guard/check": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Guard Check
         * @description Scan one text going to (input) or coming from (output) a model; verdict per scanner.
         */
        post: operations["guard_check_api_v1_guard_check_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/guard/check/batch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Guard Check Batch
         * @description Scan many texts at once (up to 256); one result per text, in order.
         */
        post: operations["guard_check_batch_api_v1_guard_check_batch_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/readiness": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Org Readiness
         * @description Every app's readiness level and score, most ready first; filter by team and level.
         */
        get: operations["org_readiness_api_v1_readiness_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/costs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Cost Report
         * @description The monthly cost report: by team, app and model, month over month, budgets, unpriced.
         */
        get: operations["cost_report_api_v1_reports_costs_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sources": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Sources
         * @description Each data source: configured or not, last success, last error, duration per step.
         */
        get: operations["list_sources_api_v1_sources_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sources/sync": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sync Now
         * @description Run one sync pass now (explicit refresh) and return what each step did.
         */
        post: operations["sync_now_api_v1_sources_sync_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Healthz
         * @description Liveness: the process answers.
         */
        get: operations["healthz_healthz_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Readyz
         * @description Readiness: the database answers. Sources are listed; one that is down does not make
         *     the portal unready, since it serves stored data marked stale.
         */
        get: operations["readyz_readyz_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** AnomalyList */
        AnomalyList: {
            /** Baseline Days */
            baseline_days: number;
            freshness: components["schemas"]["Freshness"];
            /** Items */
            items: components["schemas"]["CostAnomaly"][];
        };
        /**
         * AppCosts
         * @description ``start``/``end``: exactly the hours summed (the requested range widened to whole hours).
         */
        AppCosts: {
            /** App */
            app: string;
            /** Buckets */
            buckets: components["schemas"]["CostBucket"][];
            /** By Model */
            by_model: {
                [key: string]: string;
            };
            /** Compute */
            compute?: components["schemas"]["ComputeBucket"][];
            /** Compute By Resource */
            compute_by_resource?: {
                [key: string]: string;
            };
            /**
             * Compute Cost
             * @default 0
             */
            compute_cost: string;
            /** Cost Per 1K Requests */
            cost_per_1k_requests?: string | null;
            /** Covered Until */
            covered_until?: string | null;
            /**
             * Currency
             * @default USD
             */
            currency: string;
            /**
             * End
             * Format: date-time
             */
            end: string;
            freshness: components["schemas"]["Freshness"];
            /**
             * Requests
             * @default 0
             */
            requests: number;
            /**
             * Start
             * Format: date-time
             */
            start: string;
            /**
             * Step
             * @enum {string}
             */
            step: "day" | "week" | "month";
            /** Total */
            total: string;
            /**
             * Total Cost
             * @default 0
             */
            total_cost: string;
            /** Unpriced */
            unpriced: components["schemas"]["UnpricedUsage"][];
        };
        /**
         * AppCreate
         * @description An app that runs outside the cluster (or before its workloads exist).
         */
        AppCreate: {
            /** Cost Center */
            cost_center?: string | null;
            /** Description */
            description?: string | null;
            lifecycle?: components["schemas"]["Lifecycle"] | null;
            /** Links */
            links?: components["schemas"]["Link"][];
            /** Name */
            name: string;
            /** Namespace */
            namespace?: string | null;
            /** System */
            system?: string | null;
            /** Team */
            team?: string | null;
            /** Title */
            title?: string | null;
        };
        /** AppDetail */
        AppDetail: {
            /** Cost Center */
            cost_center?: string | null;
            /** Description */
            description?: string | null;
            /**
             * First Seen
             * Format: date-time
             */
            first_seen: string;
            freshness: components["schemas"]["Freshness"];
            /** Gone Since */
            gone_since: string | null;
            /**
             * Last Seen
             * Format: date-time
             */
            last_seen: string;
            lifecycle?: components["schemas"]["Lifecycle"] | null;
            /** Links */
            links: {
                [key: string]: unknown;
            }[];
            /** Name */
            name: string;
            /** Namespace */
            namespace?: string | null;
            origin: components["schemas"]["AppOrigin"];
            /** Owner */
            owner: string | null;
            status: components["schemas"]["AppStatus"];
            /** System */
            system?: string | null;
            /** Team */
            team?: string | null;
            /** Title */
            title?: string | null;
            /** Workloads */
            workloads: components["schemas"]["WorkloadPublic"][];
        };
        /**
         * AppOrigin
         * @description How the portal learned of the app: found in the cluster by its label, or registered
         *     through the API (e.g. by the scaffolder).
         * @enum {string}
         */
        AppOrigin: "kubernetes" | "api";
        /** AppPage */
        AppPage: {
            freshness: components["schemas"]["Freshness"];
            /** Items */
            items: components["schemas"]["AppPublic"][];
            /** Limit */
            limit: number;
            /** Offset */
            offset: number;
            /** Total */
            total: number;
        };
        /** AppPublic */
        AppPublic: {
            /** Cost Center */
            cost_center?: string | null;
            /** Description */
            description?: string | null;
            /**
             * First Seen
             * Format: date-time
             */
            first_seen: string;
            /** Gone Since */
            gone_since: string | null;
            /**
             * Last Seen
             * Format: date-time
             */
            last_seen: string;
            lifecycle?: components["schemas"]["Lifecycle"] | null;
            /** Links */
            links: {
                [key: string]: unknown;
            }[];
            /** Name */
            name: string;
            /** Namespace */
            namespace?: string | null;
            origin: components["schemas"]["AppOrigin"];
            /** Owner */
            owner: string | null;
            status: components["schemas"]["AppStatus"];
            /** System */
            system?: string | null;
            /** Team */
            team?: string | null;
            /** Title */
            title?: string | null;
        };
        /** AppReadiness */
        AppReadiness: {
            /** App */
            app: string;
            /** Checks */
            checks: components["schemas"]["CheckResult"][];
            /**
             * Evaluated At
             * Format: date-time
             */
            evaluated_at: string;
            /** Failed */
            failed: number;
            /** Freshness */
            freshness: components["schemas"]["Freshness"][];
            /** History */
            history: components["schemas"]["HistoryPoint"][];
            /** Level */
            level: string | null;
            /** Levels */
            levels: components["schemas"]["LevelInfo"][];
            /** Lifecycle */
            lifecycle: string | null;
            /** Next Level */
            next_level: string | null;
            /** Passed */
            passed: number;
            /** Pillars */
            pillars: components["schemas"]["PillarSummary"][];
            /** Score */
            score: number;
            /** Team */
            team: string | null;
            /** Unknown */
            unknown: number;
        };
        /** AppSecuritySummary */
        AppSecuritySummary: {
            /** App */
            app: string;
            /** By Source */
            by_source: {
                [key: string]: components["schemas"]["SeverityCounts"];
            };
            freshness: components["schemas"]["Freshness"];
            open: components["schemas"]["SeverityCounts"];
            /** Team */
            team: string | null;
            vulnerabilities: components["schemas"]["VulnerabilityCounts"];
        };
        /**
         * AppStatus
         * @enum {string}
         */
        AppStatus: "active" | "gone";
        /**
         * AppUsage
         * @description ``start``/``end``: exactly the hours summed (the requested range widened to whole hours).
         */
        AppUsage: {
            /** App */
            app: string;
            /** Buckets */
            buckets: components["schemas"]["UsageBucket"][];
            /** Covered Until */
            covered_until?: string | null;
            /**
             * End
             * Format: date-time
             */
            end: string;
            freshness: components["schemas"]["Freshness"];
            /**
             * Start
             * Format: date-time
             */
            start: string;
            /**
             * Step
             * @enum {string}
             */
            step: "hour" | "day" | "week" | "month";
            /** Totals */
            totals: components["schemas"]["UsageTotals"][];
        };
        /** BudgetAlert */
        BudgetAlert: {
            /**
             * Basis
             * @enum {string}
             */
            basis: "actual" | "forecast";
            /** Firing */
            firing: boolean;
            /** Threshold */
            threshold: number;
        };
        /**
         * BudgetBasis
         * @enum {string}
         */
        BudgetBasis: "model" | "total";
        /**
         * BudgetCreate
         * @description A monthly budget (USD) for a team or an app.
         */
        BudgetCreate: {
            /** Amount */
            amount: number | string;
            /** @default model */
            basis: components["schemas"]["BudgetBasis"];
            /** Name */
            name: string;
            scope: components["schemas"]["BudgetScope"];
        };
        /** BudgetList */
        BudgetList: {
            freshness: components["schemas"]["Freshness"];
            /** Items */
            items: components["schemas"]["BudgetStatus"][];
            /** Month */
            month: string;
        };
        /**
         * BudgetScope
         * @enum {string}
         */
        BudgetScope: "team" | "app";
        /** BudgetStatus */
        BudgetStatus: {
            /** Alerts */
            alerts: components["schemas"]["BudgetAlert"][];
            /** Amount */
            amount: string;
            /** @default model */
            basis: components["schemas"]["BudgetBasis"];
            /**
             * Currency
             * @default USD
             */
            currency: string;
            /** Forecast */
            forecast: string;
            /** Forecast Utilisation */
            forecast_utilisation: number;
            /** Id */
            id: number;
            /** Month */
            month: string;
            /** Name */
            name: string;
            scope: components["schemas"]["BudgetScope"];
            /** Spent */
            spent: string;
            /**
             * State
             * @enum {string}
             */
            state: "ok" | "warning" | "exceeded";
            /** Utilisation */
            utilisation: number;
        };
        /** BudgetUpdate */
        BudgetUpdate: {
            /** Amount */
            amount: number | string;
            basis?: components["schemas"]["BudgetBasis"] | null;
        };
        /**
         * ChangeKind
         * @enum {string}
         */
        ChangeKind: "prompt-deploy" | "prompt-label" | "model-switch" | "image" | "scale" | "knative-revision" | "knative-traffic" | "budget" | "finding-opened" | "finding-resolved" | "eval-regression";
        /** ChangePage */
        ChangePage: {
            /**
             * End
             * Format: date-time
             */
            end: string;
            /** Freshness */
            freshness: components["schemas"]["Freshness"][];
            /** Items */
            items: components["schemas"]["ChangePublic"][];
            /** Limit */
            limit: number;
            /** Offset */
            offset: number;
            /**
             * Start
             * Format: date-time
             */
            start: string;
            /** Total */
            total: number;
        };
        /**
         * ChangePublic
         * @description One change. ``id`` is stable (``<table>-<row id>``), ``link`` points at its details.
         */
        ChangePublic: {
            /** App */
            app: string | null;
            /**
             * At
             * Format: date-time
             */
            at: string;
            /** Data */
            data: {
                [key: string]: unknown;
            };
            /** Id */
            id: string;
            kind: components["schemas"]["ChangeKind"];
            /** Link */
            link?: string | null;
            /** Summary */
            summary: string;
            /** Team */
            team: string | null;
        };
        /** CheckResult */
        CheckResult: {
            /** Evidence */
            evidence: components["schemas"]["EvidenceLink"][];
            /** Fix */
            fix: string;
            /** Id */
            id: string;
            /** Level */
            level: string | null;
            pillar: components["schemas"]["Pillar"];
            status: components["schemas"]["CheckStatus"];
            /** Title */
            title: string;
            /** Why */
            why: string;
        };
        /**
         * CheckStatus
         * @enum {string}
         */
        CheckStatus: "pass" | "fail" | "unknown";
        /**
         * ComputeBucket
         * @description An app's compute in one bucket: cost per resource (USD) and unit-hours.
         */
        ComputeBucket: {
            /** Cost */
            cost: string;
            /** Cpu Cost */
            cpu_cost: string;
            /** Cpu Hours */
            cpu_hours: number;
            /** Gpu Cost */
            gpu_cost: string;
            /** Gpu Hours */
            gpu_hours: number;
            /** Memory Cost */
            memory_cost: string;
            /** Memory Gib Hours */
            memory_gib_hours: number;
            /**
             * Start
             * Format: date-time
             */
            start: string;
        };
        /** CostAnomaly */
        CostAnomaly: {
            /** App */
            app: string;
            /** Baseline */
            baseline: string;
            /** Cost */
            cost: string;
            /**
             * Day
             * Format: date-time
             */
            day: string;
            /** Ratio */
            ratio: number;
        };
        /** CostBucket */
        CostBucket: {
            /** Cached Input Cost */
            cached_input_cost: string | null;
            /** Cached Input Tokens */
            cached_input_tokens: number;
            /** Cost */
            cost: string | null;
            /** Gpu Cost */
            gpu_cost: string | null;
            /** Input Cost */
            input_cost: string | null;
            /** Input Tokens */
            input_tokens: number;
            /** Model */
            model: string;
            /** Output Cost */
            output_cost: string | null;
            /** Output Tokens */
            output_tokens: number;
            /**
             * Partial
             * @default false
             */
            partial: boolean;
            /** Priced */
            priced: boolean;
            /**
             * Start
             * Format: date-time
             */
            start: string;
        };
        /**
         * CostGroup
         * @description ``cost`` is model spend (tokens and self-hosted GPUs); ``total_cost`` adds compute.
         */
        CostGroup: {
            /** Change */
            change: string;
            /** Change Pct */
            change_pct: number | null;
            /**
             * Compute Cost
             * @default 0
             */
            compute_cost: string;
            /** Cost */
            cost: string;
            /** Cost Per 1K Requests */
            cost_per_1k_requests?: string | null;
            /** Key */
            key: string;
            /** Previous */
            previous: string;
            /**
             * Previous Compute Cost
             * @default 0
             */
            previous_compute_cost: string;
            /**
             * Previous Total Cost
             * @default 0
             */
            previous_total_cost: string;
            /** Requests */
            requests?: number | null;
            /**
             * Total Change
             * @default 0
             */
            total_change: string;
            /** Total Change Pct */
            total_change_pct?: number | null;
            /**
             * Total Cost
             * @default 0
             */
            total_cost: string;
        };
        /**
         * CostMover
         * @description A top mover, with the changes around the day its cost moved (timeline).
         */
        CostMover: {
            /** Change */
            change: string;
            /** Change Pct */
            change_pct: number | null;
            /**
             * Changes
             * @default []
             */
            changes: components["schemas"]["ChangePublic"][];
            /**
             * Compute Cost
             * @default 0
             */
            compute_cost: string;
            /** Cost */
            cost: string;
            /** Cost Per 1K Requests */
            cost_per_1k_requests?: string | null;
            /** Explanation */
            explanation?: string | null;
            /** Key */
            key: string;
            /** Previous */
            previous: string;
            /**
             * Previous Compute Cost
             * @default 0
             */
            previous_compute_cost: string;
            /**
             * Previous Total Cost
             * @default 0
             */
            previous_total_cost: string;
            /** Requests */
            requests?: number | null;
            /**
             * Total Change
             * @default 0
             */
            total_change: string;
            /** Total Change Pct */
            total_change_pct?: number | null;
            /**
             * Total Cost
             * @default 0
             */
            total_cost: string;
        };
        /** CostReport */
        CostReport: {
            /** Anomalies */
            anomalies: components["schemas"]["CostAnomaly"][];
            /** Budgets */
            budgets: components["schemas"]["BudgetStatus"][];
            /** By App */
            by_app: components["schemas"]["CostGroup"][];
            /** By Model */
            by_model: components["schemas"]["CostGroup"][];
            /** By Team */
            by_team: components["schemas"]["CostGroup"][];
            /** Compared Days */
            compared_days?: number | null;
            /** Compute By Resource */
            compute_by_resource?: {
                [key: string]: string;
            };
            /**
             * Compute Total
             * @default 0
             */
            compute_total: string;
            /**
             * Currency
             * @default USD
             */
            currency: string;
            /** Daily */
            daily: components["schemas"]["DailyTotal"][];
            freshness: components["schemas"]["Freshness"];
            /**
             * Generated At
             * Format: date-time
             */
            generated_at: string;
            /** Month */
            month: string;
            /**
             * Previous Compute Total
             * @default 0
             */
            previous_compute_total: string;
            /** Previous Month */
            previous_month: string;
            /** Previous Total */
            previous_total: string;
            /**
             * Previous Total Cost
             * @default 0
             */
            previous_total_cost: string;
            /** Top Movers */
            top_movers: components["schemas"]["CostMover"][];
            /** Total */
            total: string;
            /**
             * Total Cost
             * @default 0
             */
            total_cost: string;
            /** Unallocated */
            unallocated?: components["schemas"]["UnallocatedCompute"][];
            /** Unpriced */
            unpriced: components["schemas"]["UnpricedUsage"][];
        };
        /** DailyTotal */
        DailyTotal: {
            /**
             * Compute Cost
             * @default 0
             */
            compute_cost: string;
            /** Cost */
            cost: string;
            /**
             * Day
             * Format: date-time
             */
            day: string;
            /**
             * Total Cost
             * @default 0
             */
            total_cost: string;
        };
        /** DeploymentPublic */
        DeploymentPublic: {
            /** Content Hash */
            content_hash: string;
            /** Ended */
            ended: string | null;
            /** Namespace */
            namespace: string;
            /**
             * Started
             * Format: date-time
             */
            started: string;
            /** Version */
            version: number;
            /** Via */
            via: string;
            /** Workload */
            workload: string;
            /** Workload Kind */
            workload_kind: string;
        };
        /**
         * Direction
         * @enum {string}
         */
        Direction: "input" | "output";
        /** ErrorBody */
        ErrorBody: {
            /** @description What went wrong, for a person */
            detail: string;
            /** @description Kind of error, e.g. NotFound */
            error: string;
            /** @description The source that is down (503 only) */
            source?: string;
        };
        /** EvalCasePublic */
        EvalCasePublic: {
            /** Blocked */
            blocked: boolean;
            /** Error */
            error: string | null;
            /** Expected */
            expected: string | null;
            /** Index */
            index: number;
            /** Input */
            input: string;
            /** Input Tokens */
            input_tokens: number;
            /** Latency Ms */
            latency_ms: number | null;
            /** Output */
            output: string;
            /** Output Tokens */
            output_tokens: number;
            /** Passed */
            passed: boolean;
            /** Reasons */
            reasons: {
                [key: string]: string;
            };
            /** Scores */
            scores: {
                [key: string]: number;
            };
            /** Vars */
            vars: {
                [key: string]: unknown;
            };
        };
        /** EvalRunDetail */
        EvalRunDetail: {
            /** Aggregate Score */
            aggregate_score: number;
            /** App */
            app: string;
            /** Baseline Run Id */
            baseline_run_id: number | null;
            /** Baseline Score */
            baseline_score: number | null;
            /** Case Results */
            case_results: components["schemas"]["EvalCasePublic"][];
            /** Cases */
            cases: number;
            /** Content Hash */
            content_hash: string;
            /** Cost */
            cost: string | null;
            /** Dataset */
            dataset: string;
            /** Errors */
            errors: number;
            /**
             * Finished
             * Format: date-time
             */
            finished: string;
            /** Id */
            id: number;
            /** Input Tokens */
            input_tokens: number;
            /** Margin */
            margin: number | null;
            /** Model */
            model: string | null;
            /** Output Tokens */
            output_tokens: number;
            /** Pass Rate */
            pass_rate: number | null;
            /** Passed */
            passed: number;
            /** Prompt */
            prompt: string;
            /** Regression */
            regression: boolean;
            /** Scores */
            scores: {
                [key: string]: number;
            };
            source: components["schemas"]["EvalSource"];
            /**
             * Started
             * Format: date-time
             */
            started: string;
            /** Version */
            version: number;
        };
        /** EvalRunPublic */
        EvalRunPublic: {
            /** Aggregate Score */
            aggregate_score: number;
            /** App */
            app: string;
            /** Baseline Run Id */
            baseline_run_id: number | null;
            /** Baseline Score */
            baseline_score: number | null;
            /** Cases */
            cases: number;
            /** Content Hash */
            content_hash: string;
            /** Cost */
            cost: string | null;
            /** Dataset */
            dataset: string;
            /** Errors */
            errors: number;
            /**
             * Finished
             * Format: date-time
             */
            finished: string;
            /** Id */
            id: number;
            /** Input Tokens */
            input_tokens: number;
            /** Margin */
            margin: number | null;
            /** Model */
            model: string | null;
            /** Output Tokens */
            output_tokens: number;
            /** Pass Rate */
            pass_rate: number | null;
            /** Passed */
            passed: number;
            /** Prompt */
            prompt: string;
            /** Regression */
            regression: boolean;
            /** Scores */
            scores: {
                [key: string]: number;
            };
            source: components["schemas"]["EvalSource"];
            /**
             * Started
             * Format: date-time
             */
            started: string;
            /** Version */
            version: number;
        };
        /**
         * EvalRunRequest
         * @description Run a dataset through a prompt version on the configured model endpoint.
         */
        EvalRunRequest: {
            /**
             * Cases
             * @description JSONL: one {"vars": {...}, "expected": "..."} per line
             */
            cases: string;
            /** Concurrency */
            concurrency?: number | null;
            /**
             * Dataset
             * @description dataset name
             */
            dataset: string;
            /**
             * Model
             * @description default: the version's
             */
            model?: string | null;
            prompt: components["schemas"]["PromptRef"];
            /** Scorers */
            scorers: components["schemas"]["ScorerSpec"][];
        };
        /**
         * EvalSource
         * @enum {string}
         */
        EvalSource: "ci" | "promptfoo" | "portal" | "demo";
        /** EvidenceLink */
        EvidenceLink: {
            /** Title */
            title: string;
            /** Url */
            url: string;
        };
        /** FindingDetail */
        FindingDetail: {
            /** App */
            app: string;
            /** Check Id */
            check_id: string;
            /** Data */
            data: {
                [key: string]: unknown;
            };
            /** Detail */
            detail: string;
            /**
             * First Seen
             * Format: date-time
             */
            first_seen: string;
            /** History */
            history: components["schemas"]["FindingEventPublic"][];
            /** Id */
            id: number;
            /**
             * Last Seen
             * Format: date-time
             */
            last_seen: string;
            owasp: components["schemas"]["OwaspLlm"] | null;
            /** Remediation */
            remediation: string;
            /** Resolved At */
            resolved_at: string | null;
            /** Resource */
            resource: string;
            severity: components["schemas"]["Severity"];
            source: components["schemas"]["FindingSource"];
            status: components["schemas"]["FindingStatus"];
            /** Suppressed By */
            suppressed_by: string | null;
            /** Suppressed Until */
            suppressed_until: string | null;
            /** Suppression Reason */
            suppression_reason: string | null;
            /** Team */
            team: string | null;
            /** Title */
            title: string;
        };
        /**
         * FindingEventKind
         * @enum {string}
         */
        FindingEventKind: "opened" | "resolved" | "reopened" | "suppressed" | "unsuppressed" | "suppression-expired";
        /** FindingEventPublic */
        FindingEventPublic: {
            /** Actor */
            actor: string | null;
            /**
             * At
             * Format: date-time
             */
            at: string;
            kind: components["schemas"]["FindingEventKind"];
            /** Note */
            note: string | null;
        };
        /** FindingPage */
        FindingPage: {
            counts: components["schemas"]["SeverityCounts"];
            freshness: components["schemas"]["Freshness"];
            /** Items */
            items: components["schemas"]["FindingPublic"][];
            /** Limit */
            limit: number;
            /** Offset */
            offset: number;
            /** Total */
            total: number;
        };
        /** FindingPublic */
        FindingPublic: {
            /** App */
            app: string;
            /** Check Id */
            check_id: string;
            /** Data */
            data: {
                [key: string]: unknown;
            };
            /** Detail */
            detail: string;
            /**
             * First Seen
             * Format: date-time
             */
            first_seen: string;
            /** Id */
            id: number;
            /**
             * Last Seen
             * Format: date-time
             */
            last_seen: string;
            owasp: components["schemas"]["OwaspLlm"] | null;
            /** Remediation */
            remediation: string;
            /** Resolved At */
            resolved_at: string | null;
            /** Resource */
            resource: string;
            severity: components["schemas"]["Severity"];
            source: components["schemas"]["FindingSource"];
            status: components["schemas"]["FindingStatus"];
            /** Suppressed By */
            suppressed_by: string | null;
            /** Suppressed Until */
            suppressed_until: string | null;
            /** Suppression Reason */
            suppression_reason: string | null;
            /** Team */
            team: string | null;
            /** Title */
            title: string;
        };
        /**
         * FindingSource
         * @description What reported the finding: the Trivy Operator's reports in the cluster, the portal's own
         *     posture checks of an app's workloads and domains, or the guard's blocked-traffic spikes.
         * @enum {string}
         */
        FindingSource: "trivy-operator" | "posture" | "guardrail";
        /**
         * FindingStatus
         * @description Open until its source stops reporting it (resolved; reopened if it reports it again) or
         *     someone suppresses it, with a reason, until a date at most a year away.
         * @enum {string}
         */
        FindingStatus: "open" | "resolved" | "suppressed";
        /**
         * Freshness
         * @description Attached to data read from stored sync results: how old, and whether to trust it.
         */
        Freshness: {
            /** As Of */
            as_of: string | null;
            /** Last Error */
            last_error?: string | null;
            /** Source */
            source: string;
            /** Stale */
            stale: boolean;
            /**
             * State
             * @default ok
             */
            state: string;
        };
        /** GuardBatchRequest */
        GuardBatchRequest: {
            /** Items */
            items: components["schemas"]["GuardRequest"][];
        };
        /** GuardBatchResult */
        GuardBatchResult: {
            /** Blocked */
            blocked: number;
            /** Flagged */
            flagged: number;
            /** Results */
            results: components["schemas"]["GuardResult"][];
        };
        /** GuardrailPoint */
        GuardrailPoint: {
            /** Blocked */
            blocked: number;
            /** Flagged */
            flagged: number;
            /**
             * Hour
             * Format: date-time
             */
            hour: string;
        };
        /** GuardrailReport */
        GuardrailReport: {
            /** App */
            app: string;
            /**
             * End
             * Format: date-time
             */
            end: string;
            freshness: components["schemas"]["Freshness"];
            /**
             * Start
             * Format: date-time
             */
            start: string;
            /** Trends */
            trends: components["schemas"]["GuardrailTrend"][];
        };
        /** GuardrailTrend */
        GuardrailTrend: {
            /** App */
            app: string;
            /** Direction */
            direction: string;
            /** Points */
            points: components["schemas"]["GuardrailPoint"][];
            /** Rule */
            rule: string;
            /** Total Blocked */
            total_blocked: number;
            /** Total Flagged */
            total_flagged: number;
        };
        /** GuardRequest */
        GuardRequest: {
            /**
             * Canaries
             * @description Canary tokens planted in this call's system prompt (in addition to the configured ones); seeing one in the text means the prompt leaked.
             */
            canaries?: string[];
            direction: components["schemas"]["Direction"];
            /** Text */
            text: string;
        };
        /** GuardResult */
        GuardResult: {
            /** Chars */
            chars: number;
            direction: components["schemas"]["Direction"];
            /** Notes */
            notes?: string[];
            /** Scanners */
            scanners: components["schemas"]["ScannerResult"][];
            verdict: components["schemas"]["Verdict"];
        };
        /** HistoryPoint */
        HistoryPoint: {
            /**
             * Day
             * Format: date-time
             */
            day: string;
            /** Failed */
            failed: number;
            /** Level */
            level: string | null;
            /** Passed */
            passed: number;
            /** Score */
            score: number;
            /** Unknown */
            unknown: number;
        };
        /** IngestedVersion */
        IngestedVersion: {
            /** Content Hash */
            content_hash: string;
            /** Created */
            created: boolean;
            /** Name */
            name: string;
            /** Number */
            number: number;
        };
        /** LabelMove */
        LabelMove: {
            /** Reason */
            reason?: string | null;
            /** Version */
            version: number;
        };
        /** LabelMovePublic */
        LabelMovePublic: {
            /** From Version */
            from_version: number | null;
            /** Label */
            label: string;
            /**
             * Moved
             * Format: date-time
             */
            moved: string;
            /** Moved By */
            moved_by: string | null;
            /** Reason */
            reason: string | null;
            /** To Version */
            to_version: number;
        };
        /** LabelPublic */
        LabelPublic: {
            /** Label */
            label: string;
            /**
             * Updated
             * Format: date-time
             */
            updated: string;
            /** Updated By */
            updated_by: string | null;
            /** Version */
            version: number;
        };
        /** LevelInfo */
        LevelInfo: {
            /** Checks */
            checks: string[];
            /** Name */
            name: string;
            /** Reached */
            reached: boolean;
            /** Title */
            title: string | null;
        };
        /**
         * Lifecycle
         * @description The app's stage, as in Backstage's spec.lifecycle.
         * @enum {string}
         */
        Lifecycle: "experimental" | "production" | "deprecated";
        /** Link */
        Link: {
            /** Icon */
            icon?: string | null;
            /** Title */
            title?: string | null;
            /**
             * Url
             * Format: uri
             */
            url: string;
        };
        /**
         * OrgCosts
         * @description ``start``/``end``: exactly the hours summed (the requested range widened to whole hours).
         */
        OrgCosts: {
            /**
             * Compute Total
             * @default 0
             */
            compute_total: string;
            /**
             * Currency
             * @default USD
             */
            currency: string;
            /**
             * End
             * Format: date-time
             */
            end: string;
            freshness: components["schemas"]["Freshness"];
            /**
             * Group By
             * @enum {string}
             */
            group_by: "team" | "app" | "model";
            /** Groups */
            groups: components["schemas"]["CostGroup"][];
            /**
             * Previous Compute Total
             * @default 0
             */
            previous_compute_total: string;
            /**
             * Previous Start
             * Format: date-time
             */
            previous_start: string;
            /** Previous Total */
            previous_total: string;
            /**
             * Previous Total Cost
             * @default 0
             */
            previous_total_cost: string;
            /**
             * Start
             * Format: date-time
             */
            start: string;
            /** Total */
            total: string;
            /**
             * Total Cost
             * @default 0
             */
            total_cost: string;
            /** Unallocated */
            unallocated?: components["schemas"]["UnallocatedCompute"][];
            /** Unpriced */
            unpriced: components["schemas"]["UnpricedUsage"][];
        };
        /** OrgFindingPage */
        OrgFindingPage: {
            counts: components["schemas"]["SeverityCounts"];
            freshness: components["schemas"]["Freshness"];
            /** Items */
            items: components["schemas"]["FindingPublic"][];
            /** Limit */
            limit: number;
            /** Offset */
            offset: number;
            /** Teams */
            teams: components["schemas"]["TeamCounts"][];
            /** Total */
            total: number;
        };
        /** OrgReadiness */
        OrgReadiness: {
            /**
             * Evaluated At
             * Format: date-time
             */
            evaluated_at: string;
            /** Freshness */
            freshness: components["schemas"]["Freshness"][];
            /** Items */
            items: components["schemas"]["ReadinessRow"][];
            /** Levels */
            levels: string[];
            /** Total */
            total: number;
        };
        /**
         * OwaspLlm
         * @description OWASP Top 10 for LLM Applications (2025).
         * @enum {string}
         */
        OwaspLlm: "LLM01" | "LLM02" | "LLM03" | "LLM04" | "LLM05" | "LLM06" | "LLM07" | "LLM08" | "LLM09" | "LLM10";
        /** Page[EvalRunPublic] */
        Page_EvalRunPublic_: {
            /** Items */
            items: components["schemas"]["EvalRunPublic"][];
            /** Limit */
            limit: number;
            /** Offset */
            offset: number;
            /** Total */
            total: number;
        };
        /**
         * Pillar
         * @enum {string}
         */
        Pillar: "observability" | "quality" | "security" | "reliability" | "cost";
        /** PillarSummary */
        PillarSummary: {
            /** Failed */
            failed: number;
            /** Passed */
            passed: number;
            pillar: components["schemas"]["Pillar"];
            /** Unknown */
            unknown: number;
        };
        /**
         * PromptBatch
         * @description CI posts every prompt file of a commit at once; unchanged content is not a new version.
         */
        PromptBatch: {
            /** Author */
            author?: string | null;
            /** Commit */
            commit?: string | null;
            /** Prompts */
            prompts: components["schemas"]["PromptFile"][];
        };
        /** PromptBatchResult */
        PromptBatchResult: {
            /** Versions */
            versions: components["schemas"]["IngestedVersion"][];
        };
        /** PromptDiff */
        PromptDiff: {
            /** Changed */
            changed: string[];
            freshness: components["schemas"]["Freshness"];
            /** From Version */
            from_version: number;
            /** Name */
            name: string;
            /** Parameters Diff */
            parameters_diff: string;
            /** Template Diff */
            template_diff: string;
            /** To Version */
            to_version: number;
        };
        /**
         * PromptFile
         * @description One prompt file as CI posts it.
         */
        PromptFile: {
            /** Model */
            model?: string | null;
            /** Name */
            name: string;
            /** Parameters */
            parameters?: {
                [key: string]: unknown;
            };
            /**
             * Path
             * @description File in the repository
             */
            path?: string | null;
            /** Template */
            template: string;
            /** Variables */
            variables?: string[];
        };
        /** PromptList */
        PromptList: {
            cluster: components["schemas"]["Freshness"];
            /** Prompts */
            prompts: components["schemas"]["PromptPublic"][];
        };
        /** PromptPublic */
        PromptPublic: {
            /** Labels */
            labels: components["schemas"]["LabelPublic"][];
            latest: components["schemas"]["PromptVersionSummary"];
            /** Name */
            name: string;
            /** Regression */
            regression: boolean;
            /** Running */
            running: components["schemas"]["DeploymentPublic"][];
            /** Versions */
            versions: number;
        };
        /**
         * PromptRef
         * @description Which version was evaluated: its number, or its content hash (a prefix of 8+ chars).
         */
        PromptRef: {
            /** Hash */
            hash?: string | null;
            /** Name */
            name: string;
            /** Version */
            version?: number | null;
        };
        /**
         * PromptSource
         * @enum {string}
         */
        PromptSource: "ci" | "kubernetes" | "demo";
        /** PromptVersionDetail */
        PromptVersionDetail: {
            /** Author */
            author: string | null;
            /** Content Hash */
            content_hash: string;
            /**
             * Created
             * Format: date-time
             */
            created: string;
            /** Deployments */
            deployments: components["schemas"]["DeploymentPublic"][];
            freshness: components["schemas"]["Freshness"];
            /** Labels */
            labels: string[];
            /** Model */
            model: string | null;
            /** Name */
            name: string;
            /** Number */
            number: number;
            /** Parameters */
            parameters: {
                [key: string]: unknown;
            };
            /** Running In */
            running_in: string[];
            scores: components["schemas"]["VersionScores"];
            source: components["schemas"]["PromptSource"];
            /** Source Ref */
            source_ref: string | null;
            /** Template */
            template: string;
            usage: components["schemas"]["VersionUsage"] | null;
            /** Variables */
            variables: string[];
        };
        /** PromptVersionPage */
        PromptVersionPage: {
            freshness: components["schemas"]["Freshness"];
            /** Items */
            items: components["schemas"]["PromptVersionSummary"][];
            /** Limit */
            limit: number;
            /** Offset */
            offset: number;
            /** Total */
            total: number;
        };
        /** PromptVersionSummary */
        PromptVersionSummary: {
            /** Author */
            author: string | null;
            /** Content Hash */
            content_hash: string;
            /**
             * Created
             * Format: date-time
             */
            created: string;
            /** Labels */
            labels: string[];
            /** Model */
            model: string | null;
            /** Name */
            name: string;
            /** Number */
            number: number;
            /** Running In */
            running_in: string[];
            scores: components["schemas"]["VersionScores"];
            source: components["schemas"]["PromptSource"];
            /** Source Ref */
            source_ref: string | null;
            usage: components["schemas"]["VersionUsage"] | null;
        };
        /** ReadinessRow */
        ReadinessRow: {
            /** App */
            app: string;
            /** Failed */
            failed: number;
            /** Failing */
            failing: string[];
            /** Level */
            level: string | null;
            /** Lifecycle */
            lifecycle: string | null;
            /** Passed */
            passed: number;
            /** Pillars */
            pillars: components["schemas"]["PillarSummary"][];
            /** Score */
            score: number;
            /** Team */
            team: string | null;
            /** Unknown */
            unknown: number;
            /** Unknown Checks */
            unknown_checks: string[];
        };
        /** ScannerResult */
        ScannerResult: {
            owasp?: components["schemas"]["OwaspLlm"] | null;
            /** Scanner */
            scanner: string;
            /** Score */
            score: number;
            /** Spans */
            spans?: components["schemas"]["Span"][];
            verdict: components["schemas"]["Verdict"];
        };
        /**
         * ScorerSpec
         * @description One scorer of a portal-run evaluation.
         */
        ScorerSpec: {
            /**
             * Ignore Case
             * @default false
             */
            ignore_case: boolean;
            /**
             * Model
             * @description judge model
             */
            model?: string | null;
            /** Name */
            name?: string | null;
            /**
             * Pattern
             * @description regex
             */
            pattern?: string | null;
            /**
             * Rubric
             * @description judge
             */
            rubric?: string | null;
            /** Schema */
            schema?: {
                [key: string]: unknown;
            } | null;
            /**
             * Threshold
             * @description pass at or above
             * @default 1
             */
            threshold: number;
            /**
             * Type
             * @enum {string}
             */
            type: "exact" | "contains" | "regex" | "json" | "judge";
            /**
             * Value
             * @description contains: text (default: expected)
             */
            value?: string | null;
        };
        /** ScoreTrend */
        ScoreTrend: {
            /** Dataset */
            dataset: string | null;
            /** Points */
            points: components["schemas"]["TrendPoint"][];
            /** Prompt */
            prompt: string;
        };
        /**
         * Severity
         * @enum {string}
         */
        Severity: "critical" | "high" | "medium" | "low" | "info";
        /** SeverityCounts */
        SeverityCounts: {
            /**
             * Critical
             * @default 0
             */
            critical: number;
            /**
             * High
             * @default 0
             */
            high: number;
            /**
             * Info
             * @default 0
             */
            info: number;
            /**
             * Low
             * @default 0
             */
            low: number;
            /**
             * Medium
             * @default 0
             */
            medium: number;
        };
        /** SourceStatusPublic */
        SourceStatusPublic: {
            /** Configured */
            configured: boolean;
            /** Last Error */
            last_error: string | null;
            /** Last Success */
            last_success: string | null;
            /** Source */
            source: string;
            /** Stale */
            stale: boolean;
            /** State */
            state: string;
            /** Steps */
            steps: components["schemas"]["StepStatusPublic"][];
        };
        /**
         * Span
         * @description Where in the submitted text (character offsets, end exclusive) a scanner triggered.
         *
         *     Secrets and personal data are located, never echoed back.
         */
        Span: {
            /** End */
            end: number;
            /** Label */
            label: string;
            /** Start */
            start: number;
        };
        /** StepStatusPublic */
        StepStatusPublic: {
            /** Consecutive Failures */
            consecutive_failures: number;
            /** Last Attempt */
            last_attempt: string | null;
            /** Last Duration Seconds */
            last_duration_seconds: number | null;
            /** Last Error */
            last_error: string | null;
            /** Last Error At */
            last_error_at: string | null;
            /** Last Success */
            last_success: string | null;
            /** Stats */
            stats: {
                [key: string]: unknown;
            };
            /** Step */
            step: string;
        };
        /** SuppressRequest */
        SuppressRequest: {
            /** Reason */
            reason: string;
            /**
             * Until
             * Format: date-time
             * @description When the suppression expires (aware ISO 8601)
             */
            until: string;
        };
        /** SyncStepResult */
        SyncStepResult: {
            /** Error */
            error: string | null;
            /** Ok */
            ok: boolean;
            /** Seconds */
            seconds: number;
            /** Skipped */
            skipped: boolean;
            /** Step */
            step: string;
        };
        /** TeamCounts */
        TeamCounts: {
            open: components["schemas"]["SeverityCounts"];
            /** Team */
            team: string | null;
        };
        /** Timeline */
        Timeline: {
            /** App */
            app: string;
            /**
             * End
             * Format: date-time
             */
            end: string;
            /** Freshness */
            freshness: components["schemas"]["Freshness"][];
            /** Items */
            items: components["schemas"]["ChangePublic"][];
            /** Kinds */
            kinds: components["schemas"]["ChangeKind"][];
            /**
             * Start
             * Format: date-time
             */
            start: string;
        };
        /** TrendPoint */
        TrendPoint: {
            /** Aggregate Score */
            aggregate_score: number | null;
            /** Content Hash */
            content_hash: string;
            /** Latest Finished */
            latest_finished: string | null;
            /** Latest Run Id */
            latest_run_id: number | null;
            /** Pass Rate */
            pass_rate: number | null;
            /** Regression */
            regression: boolean;
            /** Runs */
            runs: number;
            /** Scores */
            scores: {
                [key: string]: number;
            };
            /** Version */
            version: number;
        };
        /**
         * UnallocatedCompute
         * @description Compute of pods that name no app (no ``backstage.io/kubernetes-id`` label).
         */
        UnallocatedCompute: {
            /** Cost */
            cost: string;
            /** Cpu Hours */
            cpu_hours: number;
            /** Gpu Hours */
            gpu_hours: number;
            /** Memory Gib Hours */
            memory_gib_hours: number;
            /** Namespace */
            namespace: string;
        };
        /** UnpricedUsage */
        UnpricedUsage: {
            /** App */
            app?: string | null;
            /** Cached Input Tokens */
            cached_input_tokens: number;
            /** Input Tokens */
            input_tokens: number;
            /** Model */
            model: string;
            /** Output Tokens */
            output_tokens: number;
        };
        /** UsageBucket */
        UsageBucket: {
            /** Cached Input Tokens */
            cached_input_tokens: number;
            /** Errors */
            errors: number;
            /** Input Tokens */
            input_tokens: number;
            /** Latency P50 */
            latency_p50: number | null;
            /** Latency P95 */
            latency_p95: number | null;
            /** Model */
            model: string;
            /** Output Tokens */
            output_tokens: number;
            /**
             * Partial
             * @default false
             */
            partial: boolean;
            /** Requests */
            requests: number;
            /**
             * Start
             * Format: date-time
             */
            start: string;
            /** Ttft P50 */
            ttft_p50: number | null;
            /** Ttft P95 */
            ttft_p95: number | null;
        };
        /** UsageTotals */
        UsageTotals: {
            /** Cached Input Tokens */
            cached_input_tokens: number;
            /** Errors */
            errors: number;
            /** Input Tokens */
            input_tokens: number;
            /** Model */
            model: string;
            /** Output Tokens */
            output_tokens: number;
            /** Requests */
            requests: number;
        };
        /**
         * Verdict
         * @enum {string}
         */
        Verdict: "pass" | "flag" | "block";
        /**
         * VersionScores
         * @description Evaluation results of a version: the mean over its runs' aggregate scores.
         */
        VersionScores: {
            /** Aggregate Score */
            aggregate_score?: number | null;
            /** Latest Run Id */
            latest_run_id?: number | null;
            /** Mean Scores */
            mean_scores?: {
                [key: string]: number;
            };
            /** Pass Rate */
            pass_rate?: number | null;
            /**
             * Regression
             * @default false
             */
            regression: boolean;
            /**
             * Runs
             * @default 0
             */
            runs: number;
        };
        /**
         * VersionUsage
         * @description Tokens and cost per request while the version ran (null when usage is unknown).
         */
        VersionUsage: {
            /** Cost Per Request */
            cost_per_request: string | null;
            /** Input Tokens Per Request */
            input_tokens_per_request: number;
            /** Output Tokens Per Request */
            output_tokens_per_request: number;
            /** Requests */
            requests: number;
        };
        /**
         * VulnerabilityCounts
         * @description Open Trivy vulnerabilities of an app by severity, and how many have a fix.
         */
        VulnerabilityCounts: {
            by_severity: components["schemas"]["SeverityCounts"];
            /** Fixable */
            fixable: number;
            /** Unfixable */
            unfixable: number;
        };
        /**
         * WorkloadKind
         * @enum {string}
         */
        WorkloadKind: "Deployment" | "StatefulSet" | "KnativeService";
        /** WorkloadPublic */
        WorkloadPublic: {
            /**
             * First Seen
             * Format: date-time
             */
            first_seen: string;
            /** Images */
            images: string[];
            kind: components["schemas"]["WorkloadKind"];
            /**
             * Last Seen
             * Format: date-time
             */
            last_seen: string;
            /** Name */
            name: string;
            /** Namespace */
            namespace: string;
            /** Present */
            present: boolean;
            /** Replicas */
            replicas: number | null;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    list_apps_api_v1_apps_get: {
        parameters: {
            query?: {
                /** @description Page size */
                limit?: number;
                namespace?: string | null;
                /** @description Items to skip */
                offset?: number;
                /** @description Substring of the name */
                q?: string | null;
                status?: components["schemas"]["AppStatus"] | null;
                team?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AppPage"];
                };
            };
            /** @description Malformed request (e.g. body is not JSON, a parameter is not UTF-8) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The token lacks the scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Invalid input (e.g. a string holding a control character) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    create_app_api_v1_apps_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AppCreate"];
            };
        };
        responses: {
            /** @description A replay: this app was registered already */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AppPublic"];
                };
            };
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AppPublic"];
                };
            };
            /** @description Malformed request (e.g. body is not JSON, a parameter is not UTF-8) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The token lacks the scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Another app with that name exists already */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Invalid input (e.g. a string holding a control character) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_app_api_v1_apps__app__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description App (Component) name */
                app: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AppDetail"];
                };
            };
            /** @description Malformed request (e.g. body is not JSON, a parameter is not UTF-8) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The token lacks the scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Invalid input (e.g. a string holding a control character) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    app_costs_api_v1_apps__app__costs_get: {
        parameters: {
            query?: {
                /** @description Start (default: to - 30 days) */
                from?: string | null;
                step?: "day" | "week" | "month";
                /** @description End, exclusive (default: now) */
                to?: string | null;
            };
            header?: never;
            path: {
                /** @description App (Component) name */
                app: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AppCosts"];
                };
            };
            /** @description Malformed request (e.g. body is not JSON, a parameter is not UTF-8) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The token lacks the scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Invalid input (e.g. a string holding a control character) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list_runs_api_v1_apps__app__evals_get: {
        parameters: {
            query?: {
                dataset?: string | null;
                /** @description Page size */
                limit?: number;
                /** @description Items to skip */
                offset?: number;
                prompt?: string | null;
                regression?: boolean | null;
                version?: number | null;
            };
            header?: never;
            path: {
                /** @description App (Component) name */
                app: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_EvalRunPublic_"];
                };
            };
            /** @description Malformed request (e.g. body is not JSON, a parameter is not UTF-8) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The token lacks the scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Invalid input (e.g. a string holding a control character) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    ingest_run_api_v1_apps__app__evals_post: {
        parameters: {
            query?: {
                dataset?: string | null;
                hash?: string | null;
                /** @description Regression margin (default PORTAL_EVAL_REGRESSION_MARGIN) */
                margin?: number | null;
                prompt?: string | null;
                version?: number | null;
            };
            header?: never;
            path: {
                /** @description App (Component) name */
                app: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Cases */
                    cases: {
                        /**
                         * Blocked
                         * @description the app's guardrail refused the input or the output
                         * @default false
                         */
                        blocked?: boolean;
                        /** Error */
                        error?: string | null;
                        /** Expected */
                        expected?: string | null;
                        /**
                         * Input
                         * @default
                         */
                        input?: string;
                        /**
                         * Input Tokens
                         * @default 0
                         */
                        input_tokens?: number;
                        /** Latency Ms */
                        latency_ms?: number | null;
                        /**
                         * Output
                         * @description null: no output (e.g. a blocked case)
                         * @default
                         */
                        output?: string | null;
                        /**
                         * Output Tokens
                         * @default 0
                         */
                        output_tokens?: number;
                        /** Passed */
                        passed: boolean;
                        /** Scores */
                        scores?: {
                            [key: string]: number;
                        };
                        /** Vars */
                        vars?: {
                            [key: string]: unknown;
                        };
                    }[];
                    /** Cost */
                    cost?: number | string | null;
                    /** Dataset */
                    dataset: string;
                    /** External Id */
                    external_id?: string | null;
                    /**
                     * Finished
                     * Format: date-time
                     */
                    finished: string;
                    /** Input Tokens */
                    input_tokens?: number | null;
                    /** Model */
                    model?: string | null;
                    /** Output Tokens */
                    output_tokens?: number | null;
                    /**
                     * PromptRef
                     * @description Which version was evaluated: its number, or its content hash (a prefix of 8+ chars).
                     */
                    prompt: {
                        /** Hash */
                        hash?: string | null;
                        /** Name */
                        name: string;
                        /** Version */
                        version?: number | null;
                    };
                    /**
                     * Started
                     * Format: date-time
                     */
                    started: string;
                } | Record<string, never>;
            };
        };
        responses: {
            /** @description A replay: the run stored by an earlier post */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EvalRunPublic"];
                };
            };
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EvalRunPublic"];
                };
            };
            /** @description Malformed request (e.g. body is not JSON, a parameter is not UTF-8) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The token lacks the scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The external_id (evalId) names another run of this app */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Invalid input (e.g. a string holding a control character) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_run_api_v1_apps__app__evals__run_id__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description App (Component) name */
                app: string;
                run_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EvalRunDetail"];
                };
            };
            /** @description Malformed request (e.g. body is not JSON, a parameter is not UTF-8) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The token lacks the scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Invalid input (e.g. a string holding a control character) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    open_regressions_api_v1_apps__app__evals_regressions_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description App (Component) name */
                app: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EvalRunPublic"][];
                };
            };
            /** @description Malformed request (e.g. body is not JSON, a parameter is not UTF-8) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The token lacks the scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Invalid input (e.g. a string holding a control character) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    run_eval_api_v1_apps__app__evals_run_post: {
        parameters: {
            query?: {
                /** @description Regression margin (default PORTAL_EVAL_REGRESSION_MARGIN) */
                margin?: number | null;
            };
            header?: never;
            path: {
                /** @description App (Component) name */
                app: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EvalRunRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EvalRunPublic"];
                };
            };
            /** @description Malformed request (e.g. body is not JSON, a parameter is not UTF-8) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The token lacks the scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Invalid input (e.g. a string holding a control character) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    score_trend_api_v1_apps__app__evals_trend_get: {
        parameters: {
            query: {
                dataset?: string | null;
                prompt: string;
            };
            header?: never;
            path: {
                /** @description App (Component) name */
                app: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScoreTrend"];
                };
            };
            /** @description Malformed request (e.g. body is not JSON, a parameter is not UTF-8) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The token lacks the scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Invalid input (e.g. a string holding a control character) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list_app_findings_api_v1_apps__app__findings_get: {
        parameters: {
            query?: {
                /** @description Page size */
                limit?: number;
                /** @description Items to skip */
                offset?: number;
                owasp?: components["schemas"]["OwaspLlm"] | null;
                /** @description Only these severities (repeatable) */
                severity?: components["schemas"]["Severity"][] | null;
                source?: components["schemas"]["FindingSource"] | null;
                status?: components["schemas"]["FindingStatus"] | null;
            };
            header?: never;
            path: {
                /** @description App (Component) name */
                app: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FindingPage"];
                };
            };
            /** @description Malformed request (e.g. body is not JSON, a parameter is not UTF-8) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The token lacks the scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Invalid input (e.g. a string holding a control character) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    app_guardrails_api_v1_apps__app__guardrails_get: {
        parameters: {
            query?: {
                /** @description Default: now */
                end?: string | null;
                /** @description Default: 7 days before end */
                start?: string | null;
            };
            header?: never;
            path: {
                /** @description App (Component) name */
                app: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GuardrailReport"];
                };
            };
            /** @description Malformed request (e.g. body is not JSON, a parameter is not UTF-8) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The token lacks the scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Invalid input (e.g. a string holding a control character) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list_prompts_api_v1_apps__app__prompts_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description App (Component) name */
                app: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PromptList"];
                };
            };
            /** @description Malformed request (e.g. body is not JSON, a parameter is not UTF-8) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The token lacks the scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Invalid input (e.g. a string holding a control character) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    ingest_prompts_api_v1_apps__app__prompts_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description App (Component) name */
                app: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PromptBatch"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PromptBatchResult"];
                };
            };
            /** @description Malformed request (e.g. body is not JSON, a parameter is not UTF-8) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The token lacks the scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Another push created a version of the prompt meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Invalid input (e.g. a string holding a control character) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    move_label_api_v1_apps__app__prompts__name__labels__label__put: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description App (Component) name */
                app: string;
                /** @description Label name */
                label: string;
                /** @description Prompt name */
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LabelMove"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LabelPublic"];
                };
            };
            /** @description Malformed request (e.g. body is not JSON, a parameter is not UTF-8) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The token lacks the scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Invalid input (e.g. a string holding a control character) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    label_history_api_v1_apps__app__prompts__name__labels_history_get: {
        parameters: {
            query?: {
                label?: string | null;
            };
            header?: never;
            path: {
                /** @description App (Component) name */
                app: string;
                /** @description Prompt name */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LabelMovePublic"][];
                };
            };
            /** @description Malformed request (e.g. body is not JSON, a parameter is not UTF-8) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The token lacks the scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Invalid input (e.g. a string holding a control character) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    deploy_timeline_api_v1_apps__app__prompts__name__timeline_get: {
        parameters: {
            query?: {
                namespace?: string | null;
            };
            header?: never;
            path: {
                /** @description App (Component) name */
                app: string;
                /** @description Prompt name */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeploymentPublic"][];
                };
            };
            /** @description Malformed request (e.g. body is not JSON, a parameter is not UTF-8) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The token lacks the scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Invalid input (e.g. a string holding a control character) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list_versions_api_v1_apps__app__prompts__name__versions_get: {
        parameters: {
            query?: {
                /** @description Page size */
                limit?: number;
                /** @description Items to skip */
                offset?: number;
            };
            header?: never;
            path: {
                /** @description App (Component) name */
                app: string;
                /** @description Prompt name */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PromptVersionPage"];
                };
            };
            /** @description Malformed request (e.g. body is not JSON, a parameter is not UTF-8) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The token lacks the scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Invalid input (e.g. a string holding a control character) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_version_api_v1_apps__app__prompts__name__versions__number__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description App (Component) name */
                app: string;
                /** @description Prompt name */
                name: string;
                /** @description Version number */
                number: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PromptVersionDetail"];
                };
            };
            /** @description Malformed request (e.g. body is not JSON, a parameter is not UTF-8) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The token lacks the scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Invalid input (e.g. a string holding a control character) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    diff_version_api_v1_apps__app__prompts__name__versions__number__diff_get: {
        parameters: {
            query: {
                /** @description The version to compare with */
                against: number;
            };
            header?: never;
            path: {
                /** @description App (Component) name */
                app: string;
                /** @description Prompt name */
                name: string;
                /** @description Version number */
                number: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PromptDiff"];
                };
            };
            /** @description Malformed request (e.g. body is not JSON, a parameter is not UTF-8) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The token lacks the scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Invalid input (e.g. a string holding a control character) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    app_readiness_api_v1_apps__app__readiness_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description App (Component) name */
                app: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AppReadiness"];
                };
            };
            /** @description Malformed request (e.g. body is not JSON, a parameter is not UTF-8) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The token lacks the scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Invalid input (e.g. a string holding a control character) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    app_security_summary_api_v1_apps__app__security_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description App (Component) name */
                app: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AppSecuritySummary"];
                };
            };
            /** @description Malformed request (e.g. body is not JSON, a parameter is not UTF-8) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The token lacks the scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Invalid input (e.g. a string holding a control character) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    app_timeline_api_v1_apps__app__timeline_get: {
        parameters: {
            query?: {
                /** @description Start (default: to - 30 days) */
                from?: string | null;
                /** @description Only these kinds (repeatable) */
                kind?: components["schemas"]["ChangeKind"][] | null;
                /** @description End, exclusive (default: now) */
                to?: string | null;
            };
            header?: never;
            path: {
                /** @description App (Component) name */
                app: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Timeline"];
                };
            };
            /** @description Malformed request (e.g. body is not JSON, a parameter is not UTF-8) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The token lacks the scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Invalid input (e.g. a string holding a control character) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    app_usage_api_v1_apps__app__usage_get: {
        parameters: {
            query?: {
                /** @description Start (default: to - 30 days) */
                from?: string | null;
                step?: "hour" | "day" | "week" | "month";
                /** @description End, exclusive (default: now) */
                to?: string | null;
            };
            header?: never;
            path: {
                /** @description App (Component) name */
                app: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AppUsage"];
                };
            };
            /** @description Malformed request (e.g. body is not JSON, a parameter is not UTF-8) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The token lacks the scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Invalid input (e.g. a string holding a control character) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list_budgets_api_v1_budgets_get: {
        parameters: {
            query?: {
                month?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BudgetList"];
                };
            };
            /** @description Malformed request (e.g. body is not JSON, a parameter is not UTF-8) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The token lacks the scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Invalid input (e.g. a string holding a control character) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    create_budget_api_v1_budgets_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BudgetCreate"];
            };
        };
        responses: {
            /** @description A replay: this budget was set already */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BudgetStatus"];
                };
            };
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BudgetStatus"];
                };
            };
            /** @description Malformed request (e.g. body is not JSON, a parameter is not UTF-8) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The token lacks the scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description That team or app has another budget already */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Invalid input (e.g. a string holding a control character) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    update_budget_api_v1_budgets__budget_id__put: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                budget_id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BudgetUpdate"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BudgetStatus"];
                };
            };
            /** @description Malformed request (e.g. body is not JSON, a parameter is not UTF-8) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The token lacks the scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Invalid input (e.g. a string holding a control character) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    delete_budget_api_v1_budgets__budget_id__delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                budget_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Malformed request (e.g. body is not JSON, a parameter is not UTF-8) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The token lacks the scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Invalid input (e.g. a string holding a control character) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list_entities_api_v1_catalog_entities_get: {
        parameters: {
            query?: {
                /** @description Also apps no longer seen, with lifecycle deprecated */
                include_gone?: boolean;
                team?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Backstage Component entities, one YAML document each */
            200: {
                headers: {
                    /** @description true when the source of this data is configured and its last sync is stale or failed (a source that is off is not stale) */
                    "X-Portal-Stale"?: "true" | "false";
                    [name: string]: unknown;
                };
                content: {
                    "application/yaml": string;
                };
            };
            /** @description Malformed request (e.g. body is not JSON, a parameter is not UTF-8) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The token lacks the scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Invalid input (e.g. a string holding a control character) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    org_changes_api_v1_changes_get: {
        parameters: {
            query?: {
                /** @description Start (default: to - 30 days) */
                from?: string | null;
                /** @description Only these kinds (repeatable) */
                kind?: components["schemas"]["ChangeKind"][] | null;
                /** @description Page size */
                limit?: number;
                /** @description Items to skip */
                offset?: number;
                team?: string | null;
                /** @description End, exclusive (default: now) */
                to?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChangePage"];
                };
            };
            /** @description Malformed request (e.g. body is not JSON, a parameter is not UTF-8) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The token lacks the scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Invalid input (e.g. a string holding a control character) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    org_costs_api_v1_costs_get: {
        parameters: {
            query?: {
                /** @description Start (default: to - 30 days) */
                from?: string | null;
                group_by?: "team" | "app" | "model";
                /** @description End, exclusive (default: now) */
                to?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrgCosts"];
                };
            };
            /** @description Malformed request (e.g. body is not JSON, a parameter is not UTF-8) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The token lacks the scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Invalid input (e.g. a string holding a control character) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    anomalies_api_v1_costs_anomalies_get: {
        parameters: {
            query?: {
                baseline_days?: number;
                days?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AnomalyList"];
                };
            };
            /** @description Malformed request (e.g. body is not JSON, a parameter is not UTF-8) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The token lacks the scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Invalid input (e.g. a string holding a control character) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list_findings_api_v1_findings_get: {
        parameters: {
            query?: {
                /** @description Page size */
                limit?: number;
                /** @description Items to skip */
                offset?: number;
                owasp?: components["schemas"]["OwaspLlm"] | null;
                /** @description Only these severities (repeatable) */
                severity?: components["schemas"]["Severity"][] | null;
                source?: components["schemas"]["FindingSource"] | null;
                status?: components["schemas"]["FindingStatus"] | null;
                team?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrgFindingPage"];
                };
            };
            /** @description Malformed request (e.g. body is not JSON, a parameter is not UTF-8) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The token lacks the scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Invalid input (e.g. a string holding a control character) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_finding_api_v1_findings__finding_id__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Finding id */
                finding_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FindingDetail"];
                };
            };
            /** @description Malformed request (e.g. body is not JSON, a parameter is not UTF-8) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The token lacks the scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Invalid input (e.g. a string holding a control character) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    suppress_finding_api_v1_findings__finding_id__suppress_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Finding id */
                finding_id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SuppressRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FindingDetail"];
                };
            };
            /** @description Malformed request (e.g. body is not JSON, a parameter is not UTF-8) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The token lacks the scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Invalid input (e.g. a string holding a control character) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    unsuppress_finding_api_v1_findings__finding_id__unsuppress_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Finding id */
                finding_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FindingDetail"];
                };
            };
            /** @description Malformed request (e.g. body is not JSON, a parameter is not UTF-8) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The token lacks the scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Invalid input (e.g. a string holding a control character) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    guard_canary_api_v1_guard_canary_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: string;
                    };
                };
            };
            /** @description Malformed request (e.g. body is not JSON, a parameter is not UTF-8) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The token lacks the scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Invalid input (e.g. a string holding a control character) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    guard_check_api_v1_guard_check_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["GuardRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GuardResult"];
                };
            };
            /** @description Malformed request (e.g. body is not JSON, a parameter is not UTF-8) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The token lacks the scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Invalid input (e.g. a string holding a control character) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    guard_check_batch_api_v1_guard_check_batch_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["GuardBatchRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GuardBatchResult"];
                };
            };
            /** @description Malformed request (e.g. body is not JSON, a parameter is not UTF-8) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The token lacks the scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Invalid input (e.g. a string holding a control character) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    org_readiness_api_v1_readiness_get: {
        parameters: {
            query?: {
                format?: "json" | "csv";
                /** @description Only apps at this level (`none`: below the lowest) */
                level?: string | null;
                team?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrgReadiness"];
                    "text/csv": unknown;
                };
            };
            /** @description Malformed request (e.g. body is not JSON, a parameter is not UTF-8) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The token lacks the scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Invalid input (e.g. a string holding a control character) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    cost_report_api_v1_reports_costs_get: {
        parameters: {
            query: {
                format?: "json" | "csv" | "html";
                /** @description Month, YYYY-MM */
                month: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    /** @description true when the source of this data is configured and its last sync is stale or failed (a source that is off is not stale) */
                    "X-Portal-Stale"?: "true" | "false";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CostReport"];
                    "text/csv": unknown;
                    "text/html": unknown;
                };
            };
            /** @description Malformed request (e.g. body is not JSON, a parameter is not UTF-8) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The token lacks the scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Invalid input (e.g. a string holding a control character) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list_sources_api_v1_sources_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SourceStatusPublic"][];
                };
            };
            /** @description Malformed request (e.g. body is not JSON, a parameter is not UTF-8) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The token lacks the scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Invalid input (e.g. a string holding a control character) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    sync_now_api_v1_sources_sync_post: {
        parameters: {
            query?: {
                /** @description Only these sources */
                source?: string[] | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SyncStepResult"][];
                };
            };
            /** @description Malformed request (e.g. body is not JSON, a parameter is not UTF-8) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The token lacks the scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Invalid input (e.g. a string holding a control character) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    healthz_healthz_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: string;
                    };
                };
            };
            /** @description Malformed request (e.g. body is not JSON, a parameter is not UTF-8) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Invalid input (e.g. a string holding a control character) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    readyz_readyz_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description Malformed request (e.g. body is not JSON, a parameter is not UTF-8) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Invalid input (e.g. a string holding a control character) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
}
