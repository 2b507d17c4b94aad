export * from './draft-edit';
export * from './rebase';
export * from './term';
export * from './edit-messages';
