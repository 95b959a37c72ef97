export { EntityPipelineCard, PipelineCard } from './EntityPipelineCard';
