export * from './catalog';
export * from './project-root';
export * from './measures/rule.types';
export * from './measures/measure.types';
export * from './taxonomy/taxonomy';
export * from './profile/profile.types';
