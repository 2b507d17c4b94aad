/** Test oracles: not part of the engine's public API (`@matcher/engine/testing`). */
export * from './oracle';
