export interface Config {
  /** Configuration of the Clickstream plugins. */
  clickstream?: {
    /**
     * Groups (entity refs, like group:default/platform-team) whose members may act on every
     * Clickstream project; everyone else acts on the projects they own. Read by the permission
     * policy of the Backstage instance.
     */
    adminGroups?: string[];
  };
}
