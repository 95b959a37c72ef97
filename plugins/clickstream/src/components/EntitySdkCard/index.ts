export { EntitySdkCard } from './EntitySdkCard';
