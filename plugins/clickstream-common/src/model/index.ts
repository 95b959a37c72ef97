export * from './project';
export * from './app';
export * from './pipeline';
export * from './pipelineChanges';
export * from './accountResources';
export * from './status';
