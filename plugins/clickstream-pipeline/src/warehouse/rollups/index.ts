export * from './definitions';
export { RollupRefresher } from './RollupRefresher';
