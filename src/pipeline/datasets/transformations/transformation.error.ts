import type { SpecProblem } from './transformation-spec.validator';

/** A spec (or context) that does not fit the table it was applied to; `problems` says why, spec by path. */
export class TransformationError extends Error {
  override readonly name = 'TransformationError';

  constructor(
    message: string,
    readonly problems: readonly SpecProblem[] = [],
  ) {
    super(problems.length ? `${message}: ${problems.map((p) => `${p.path || '/'} ${p.message}`).join('; ')}` : message);
  }
}
