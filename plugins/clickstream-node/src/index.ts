/**
 * The Clickstream pipeline's Node.js core, shared by the embedded runtime and the AWS deployment.
 *
 * @packageDocumentation
 */

export * from './payload';
export * from './deployer';
export * from './buffer';
export * from './schema';
export * from './collector';
export * from './processor';
export * from './warehouse';
export * from './lambda';
