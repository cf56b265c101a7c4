export * from './GenAiPortalApi';
export * from './GenAiPortalClient';
export * from './errors';
export type * from './models';
export type * from './types';
