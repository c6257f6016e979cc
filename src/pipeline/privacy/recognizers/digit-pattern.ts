/**
 * libphonenumber's metadata patterns (digits, `\d`, digit classes, groups, alternation and
 * quantifiers) as position automata over the ten digits, to answer questions a RegExp cannot:
 * given the first digits of a number and how many digits follow, is the answer of a full match
 * (or of a match at the start) the same for every possible continuation?
 *
 * `decideFull` / `decidePrefix` return TRUE or FALSE only when every continuation of `known` by
 * exactly `unknown` digits gets that answer; OPEN means "it may depend on the unknown digits".
 * OPEN is allowed to be pessimistic (the universality test below is sufficient, not necessary);
 * TRUE and FALSE are exact.
 */

export const Decision = { False: 0, True: 1, Open: 2 } as const;
export type Decision = (typeof Decision)[keyof typeof Decision];

type Template =
  | { kind: 'class'; mask: number }
  | { kind: 'seq'; items: Template[] }
  | { kind: 'alt'; options: Template[] }
  | { kind: 'repeat'; body: Template; min: number; max: number };

const ALL_DIGITS = 0x3ff;

export class UnsupportedPatternError extends Error {}

/** Parser for the subset of regular-expression syntax libphonenumber's metadata uses. */
class Parser {
  private i = 0;
  constructor(private readonly source: string) {}

  parse(): Template {
    const t = this.alternation();
    if (this.i !== this.source.length) this.fail();
    return t;
  }

  private fail(): never {
    throw new UnsupportedPatternError(`unsupported pattern syntax at ${this.i}: ${this.source}`);
  }

  private peek(): string {
    return this.source.charAt(this.i);
  }

  private alternation(): Template {
    const options = [this.sequence()];
    while (this.peek() === '|') {
      this.i++;
      options.push(this.sequence());
    }
    return options.length === 1 ? (options[0] as Template) : { kind: 'alt', options };
  }

  private sequence(): Template {
    const items: Template[] = [];
    while (this.i < this.source.length && this.peek() !== '|' && this.peek() !== ')') {
      items.push(this.quantified(this.atom()));
    }
    return { kind: 'seq', items };
  }

  private atom(): Template {
    const c = this.peek();
    if (c >= '0' && c <= '9') {
      this.i++;
      return { kind: 'class', mask: 1 << (c.charCodeAt(0) - 48) };
    }
    if (c === '\\') {
      if (this.source.charAt(this.i + 1) !== 'd') this.fail();
      this.i += 2;
      return { kind: 'class', mask: ALL_DIGITS };
    }
    if (c === '[') return this.digitClass();
    if (c === '(') {
      this.i++;
      if (this.source.startsWith('?:', this.i)) this.i += 2;
      else if (this.peek() === '?') this.fail();
      const inner = this.alternation();
      if (this.peek() !== ')') this.fail();
      this.i++;
      return inner;
    }
    return this.fail();
  }

  private digitClass(): Template {
    this.i++;
    let mask = 0;
    while (this.peek() !== ']') {
      const lo = this.classDigit();
      if (this.peek() === '-' && this.source.charAt(this.i + 1) !== ']') {
        this.i++;
        const hi = this.classDigit();
        if (hi < lo) this.fail();
        for (let d = lo; d <= hi; d++) mask |= 1 << d;
      } else {
        mask |= 1 << lo;
      }
    }
    this.i++;
    if (mask === 0) this.fail();
    return { kind: 'class', mask };
  }

  private classDigit(): number {
    const c = this.peek();
    if (c === '\\' && this.source.charAt(this.i + 1) === 'd') this.fail(); // a class inside a class: not used
    if (c < '0' || c > '9') this.fail();
    this.i++;
    return c.charCodeAt(0) - 48;
  }

  private quantified(body: Template): Template {
    const c = this.peek();
    if (c === '?') return this.repeat(body, 0, 1, 1);
    if (c === '*') return this.repeat(body, 0, Infinity, 1);
    if (c === '+') return this.repeat(body, 1, Infinity, 1);
    if (c !== '{') return body;
    const m = /^\{(\d+)(,(\d*))?\}/.exec(this.source.slice(this.i));
    if (m === null) this.fail();
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
    if (max < min) this.fail();
    return this.repeat(body, min, max, m[0].length);
  }

  private repeat(body: Template, min: number, max: number, width: number): Template {
    this.i += width;
    if (this.peek() === '?' || this.peek() === '+') this.fail(); // lazy / possessive: not used
    return { kind: 'repeat', body, min, max };
  }
}

function maxLength(t: Template): number {
  switch (t.kind) {
    case 'class':
      return 1;
    case 'seq':
      return t.items.reduce((n, x) => n + maxLength(x), 0);
    case 'alt':
      return Math.max(...t.options.map(maxLength));
    case 'repeat':
      return t.max === 0 ? 0 : t.max * maxLength(t.body);
  }
}

interface Fragment {
  nullable: boolean;
  first: number[];
  last: number[];
}

/** Glushkov construction: one state per digit class occurrence, state 0 is the start. */
class Builder {
  readonly masks: number[] = [0];
  readonly follow: number[][] = [[]];

  build(t: Template): Fragment {
    switch (t.kind) {
      case 'class': {
        const p = this.masks.length;
        this.masks.push(t.mask);
        this.follow.push([]);
        return { nullable: false, first: [p], last: [p] };
      }
      case 'seq':
        return t.items.reduce<Fragment>((acc, x) => this.concat(acc, this.build(x)), EMPTY);
      case 'alt': {
        const parts = t.options.map((x) => this.build(x));
        return {
          nullable: parts.some((f) => f.nullable),
          first: parts.flatMap((f) => f.first),
          last: parts.flatMap((f) => f.last),
        };
      }
      case 'repeat': {
        let acc = EMPTY;
        for (let k = 0; k < t.min; k++) acc = this.concat(acc, this.build(t.body));
        if (t.max === Infinity) {
          const loop = this.build(t.body);
          for (const x of loop.last) this.follow[x]?.push(...loop.first);
          return this.concat(acc, { nullable: true, first: loop.first, last: loop.last });
        }
        // x{0,k} = (x(x(…)?)?)?, built from the innermost copy outwards.
        let optional: Fragment = EMPTY;
        for (let k = t.min; k < t.max; k++) {
          const copy = this.build(t.body);
          const inner = this.concat(copy, optional);
          optional = { nullable: true, first: inner.first, last: inner.last };
        }
        return this.concat(acc, optional);
      }
    }
  }

  private concat(a: Fragment, b: Fragment): Fragment {
    for (const x of a.last) this.follow[x]?.push(...b.first);
    return {
      nullable: a.nullable && b.nullable,
      first: a.nullable ? [...a.first, ...b.first] : a.first,
      last: b.nullable ? [...b.last, ...a.last] : b.last,
    };
  }
}

const EMPTY: Fragment = { nullable: true, first: [], last: [] };

export class DigitPattern {
  /** Longest string any path can consume (Infinity with `*`, `+`, `{n,}`). */
  readonly maxLength: number;
  private readonly masks: Uint16Array;
  private readonly follow: Int32Array[];
  private readonly accepting: Uint8Array;
  /** canAccept[k][s]: some k-digit continuation from state s is accepted. */
  private readonly canAccept: Uint8Array[] = [];
  /** universal[k][s]: every k-digit continuation from s is accepted (sufficient condition). */
  private readonly universal: Uint8Array[] = [];
  private readonly stamp: Uint32Array;
  private generation = 0;

  private constructor(template: Template) {
    this.maxLength = maxLength(template);
    const b = new Builder();
    const root = b.build(template);
    b.follow[0] = [...root.first];
    const n = b.masks.length;
    this.masks = Uint16Array.from(b.masks);
    this.follow = b.follow.map((f) => Int32Array.from(new Set(f)));
    this.accepting = new Uint8Array(n);
    for (const p of root.last) this.accepting[p] = 1;
    if (root.nullable) this.accepting[0] = 1;
    this.stamp = new Uint32Array(n);
    this.canAccept.push(this.accepting);
    this.universal.push(this.accepting);
  }

  /** Throws UnsupportedPatternError for syntax outside the metadata subset. */
  static compile(source: string): DigitPattern {
    return new DigitPattern(new Parser(source).parse());
  }

  /** Full match: is `known` + any `unknown` digits in the language? */
  decideFull(known: string, unknown: number): Decision {
    const states = this.run(known, false);
    if (states === true) return Decision.True;
    if (states.length === 0) return Decision.False;
    const acc = this.table(this.canAccept, unknown);
    const all = this.table(this.universal, unknown);
    let any = false;
    for (const s of states) {
      if (all[s] === 1) return Decision.True;
      if (acc[s] === 1) any = true;
    }
    return any ? Decision.Open : Decision.False;
  }

  /** Match at the start (String#search(...) === 0): does some prefix of the whole string match? */
  decidePrefix(known: string, unknown: number): Decision {
    const states = this.run(known, true);
    if (states === true) return Decision.True;
    if (states.length === 0) return Decision.False;
    for (let k = 1; k <= unknown; k++) {
      const acc = this.table(this.canAccept, k);
      for (const s of states) if (acc[s] === 1) return Decision.Open;
    }
    return Decision.False;
  }

  /**
   * True when no path of the pattern can read past `known`: a RegExp match anchored at the start
   * of any string beginning with `known` is then the match on `known` alone.
   */
  settledWithin(known: string): boolean {
    if (this.maxLength <= known.length) return true;
    const states = this.run(known, false);
    if (states === true) return false;
    for (const s of states) if ((this.follow[s] as Int32Array).length > 0) return false;
    return true;
  }

  /** States after reading `known` from the start; `true` when stopAtAccept and a prefix matched. */
  private run(known: string, stopAtAccept: boolean): number[] | true {
    let states = [0];
    if (stopAtAccept && this.accepting[0] === 1) return true;
    for (let i = 0; i < known.length; i++) {
      const bit = 1 << (known.charCodeAt(i) - 48);
      const gen = ++this.generation;
      const next: number[] = [];
      for (const s of states) {
        for (const t of this.follow[s] as Int32Array) {
          if (((this.masks[t] as number) & bit) !== 0 && this.stamp[t] !== gen) {
            this.stamp[t] = gen;
            next.push(t);
            if (stopAtAccept && this.accepting[t] === 1) return true;
          }
        }
      }
      if (next.length === 0) return next;
      states = next;
    }
    return states;
  }

  private table(tables: Uint8Array[], k: number): Uint8Array {
    while (tables.length <= k) {
      const prev = tables[tables.length - 1] as Uint8Array;
      const cur = new Uint8Array(this.masks.length);
      const universal = tables === this.universal;
      for (let s = 0; s < cur.length; s++) {
        let cover = 0;
        for (const t of this.follow[s] as Int32Array) if (prev[t] === 1) cover |= this.masks[t] as number;
        cur[s] = universal ? (cover === ALL_DIGITS ? 1 : 0) : cover !== 0 ? 1 : 0;
      }
      tables.push(cur);
    }
    return tables[k] as Uint8Array;
  }
}
