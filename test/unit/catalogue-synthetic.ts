/** Test helpers: the synthetic catalogue generator shared with the in-worker measurements. */
export * from '../../src/features/catalogue/shared/synthetic-catalogue.ts';
