export interface Config {
  /** The GenAI Portal plugin. */
  genaiPortal?: {
    /**
     * The proxy endpoint (a key of `proxy.endpoints`) that reaches the portal's API and adds
     * its read token. Default: `/genai-portal`.
     * @visibility frontend
     */
    proxyPath?: string;
  };
}
