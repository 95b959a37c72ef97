export { EntitySdkCard, SdkCard } from './EntitySdkCard';
