import { Access1764300000000 } from './1764300000000-access';

/** Every migration, oldest first. Listed explicitly so that the compiled app and ts tests load the same set. */
export const MIGRATIONS = [Access1764300000000];
