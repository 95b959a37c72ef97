export { EntityPipelineCard } from './EntityPipelineCard';
