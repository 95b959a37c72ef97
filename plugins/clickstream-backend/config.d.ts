export interface Config {
  /** Configuration of the Clickstream plugins. */
  clickstream?: {
    /**
     * Groups (entity refs, like group:default/platform-team) whose members may act on every
     * Clickstream project; everyone else acts on the projects they own. Read by the permission
     * policy of the Backstage instance.
     */
    adminGroups?: string[];
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
       * Requests a second accepted per client address and per app; beyond them the collector
       * answers 429 with Retry-After. Unset: no limit.
       */
      rateLimit?: { perIp?: number; perApp?: number };
    };
  };
}
