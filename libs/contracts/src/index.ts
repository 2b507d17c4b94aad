/**
 * The API contract: the request and response types of every endpoint under /api/v1, shared by the server
 * (controllers and services return them) and the web app. Types only, and nothing of Node, Nest or the
 * database: the engine's and the catalog's own types are re-exported from their node-free entries.
 */
export type * from './common';
export type * from './catalog';
export type * from './match';
export type * from './officers';
export type * from './screenings';
export type * from './catalog-admin';
