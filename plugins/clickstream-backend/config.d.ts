export interface Config {
  /** Configuration of the Clickstream plugins. */
  clickstream?: {
    /**
     * Groups (entity refs, like group:default/platform-team) whose members may act on every
     * Clickstream project; the same as `roles.admin`. Read by the permission policy of the
     * Backstage instance.
     */
    adminGroups?: string[];
    /**
     * The reference solution's roles, as groups (entity refs), read by the sample permission
     * policy. Everyone signed in manages the projects they own and deploys them when they run
     * embedded; operators also deploy to AWS; analysts and readers read every project's
     * dashboards; admins act on every project.
     */
    roles?: {
      admin?: string[];
      operator?: string[];
      analyst?: string[];
      reader?: string[];
    };
    /**
     * Where the embedded target keeps its data (event buffers, warehouses), relative to the
     * backend's working directory. Default: .data/clickstream
     */
    dataDirectory?: string;
    processing?: {
      /**
       * A MaxMind-format city database (GeoLite2-City or GeoIP2-City .mmdb) for IP
       * geolocation. Default: DB-IP's IP to City Lite database, installed with the plugin.
       */
      geoDatabase?: string;
    };
    collector?: {
      /**
       * Addresses of proxies (load balancers) in front of the backend whose X-Forwarded-For
       * header gives the client address. Others' X-Forwarded-For is ignored.
       */
      trustedProxies?: string[];
      /**
       * Requests a second accepted per client address and per app (bursts of twice that);
       * beyond them the collector answers 429 with Retry-After. Default 100 per address and
       * 1,000 per app; 0 turns a limit off.
       */
      rateLimit?: { perIp?: number; perApp?: number };
    };
    aws?: {
      /**
       * The AWS account ids (12 digits) that `aws` projects may be created for. An account not
       * listed is refused with 403; none is listed by default.
       */
      allowedAccounts?: string[];
    };
    analytics?: {
      /**
       * A dashboard query still running after this many seconds is stopped and answered
       * with 503. Default 30.
       */
      queryTimeoutSeconds?: number;
    };
  };
}
