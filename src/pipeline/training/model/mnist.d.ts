// Types for the `mnist` dev dependency (cazala/mnist 1.1): 10,000 28×28 digits, pixels in [0, 1].
declare module 'mnist' {
  interface Sample {
    input: number[];
    output: number[];
  }
  interface Digit {
    id: number;
    /** Samples of this digit. */
    length: number;
    /** Samples start…end, inclusive. */
    set(start: number, end: number): Sample[];
  }
  const mnist: Digit[] & { set(training: number, test: number): { training: Sample[]; test: Sample[] } };
  export = mnist;
}
