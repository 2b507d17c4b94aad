export * from './compile';
export * from './matcher';
export * from './operators';
export * from './reference';
export * from './ruleset';
export * from './tri';
export * from './validity';
export * from './words';
