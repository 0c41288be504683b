export * from './vocabulary.ts';
export * from './services.ts';
export * from './schemas.ts';
