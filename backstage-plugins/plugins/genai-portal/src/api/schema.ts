/*
 * Generated from the GenAI Portal's OpenAPI document by scripts/openapi-types.mjs.
 * Do not edit: run `npm run types:generate` in backstage-plugins/plugins/genai-portal.
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
         * @description Register an app that runs outside the cluster.
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
         * @enum {string}
         */
        AppOrigin: "kubernetes" | "api";
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
        /**
         * AppStatus
         * @enum {string}
         */
        AppStatus: "active" | "gone";
        /** ErrorBody */
        ErrorBody: {
            /** @description What went wrong, for a person */
            detail: string;
            /** @description Kind of error, e.g. NotFound */
            error: string;
            /** @description The source that is down (503 only) */
            source?: string;
        };
        /**
         * Lifecycle
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
        /** Page[AppPublic] */
        Page_AppPublic_: {
            /** Items */
            items: components["schemas"]["AppPublic"][];
            /** Limit */
            limit: number;
            /** Offset */
            offset: number;
            /** Total */
            total: number;
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
                    "application/json": components["schemas"]["Page_AppPublic_"];
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
            /** @description Invalid input */
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
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AppPublic"];
                };
            };
            /** @description Malformed request (e.g. body is not JSON) */
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
            /** @description An app with that name exists already */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Invalid input */
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
            /** @description Invalid input */
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
                    [name: string]: unknown;
                };
                content: {
                    "application/yaml": string;
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
            /** @description Invalid input */
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
            /** @description Invalid input */
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
            /** @description Invalid input */
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
            /** @description Invalid input */
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
            /** @description Invalid input */
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
