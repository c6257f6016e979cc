export * from './equivalence-class-counter';
export * from './label-balance';
