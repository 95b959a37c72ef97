export * from './project';
export * from './app';
export * from './pipeline';
export * from './status';
