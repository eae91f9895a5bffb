/**
 * Whether IAM-style globs (`*` any run, `?` one character, compared as wildcardMatches compares:
 * case-insensitively, as a non-Unicode `i` RegExp folds case; compileCaseSensitiveGlob reads them
 * as condition values are read, case-sensitively) can match one string together: some
 * string matching every glob of one list and none of another. Rules ask "is there a function ARN
 * that one grant reaches, another grant reaches too, and no Deny takes away?", which no fixed set
 * of probe ARNs answers.
 *
 * The answer is a search of the product of the globs' automata: each glob's state is the set of
 * positions it may have reached (a subset construction, so a glob that must NOT match is tracked
 * exactly). Only symbols that some glob names, plus one that none names, need trying at each step.
 */

/** A glob as symbols: STAR, ANY, or a literal (a case-folded UTF-16 code unit, or a token numbered from TOKEN_BASE). */
export type Glob = readonly number[];

const STAR = -1;
const ANY = -2;
/** A character no glob names: matches `*` and `?` only. */
const FRESH = -3;
/** Tokens (`${aws:username}`, an unknown Terraform value) sit above every UTF-16 code unit. */
const TOKEN_BASE = 0x10000;

/**
 * Names for `${...}` pieces: the same text is the same token, in every glob compiled with the table.
 * `as: 'token'`: a token is one fixed string the caller cannot choose. It equals itself (a policy
 * variable has one value per request, an unknown Terraform value one value per plan) and `*` matches
 * it, but no literal and no `?` do: it may be any length and hold any text. `as: 'star'`: the piece
 * is read as `*`, for a glob whose reach should be overstated rather than understated (a Deny).
 */
export interface TokenTable {
  ids: Map<string, number>;
  texts: string[];
}

export function tokenTable(): TokenTable {
  return { ids: new Map(), texts: [] };
}

/** IAM's escapes for the characters a policy variable would otherwise read as wildcards or a variable. */
const ESCAPES: Record<string, number> = { '${*}': 0x2a, '${?}': 0x3f, '${$}': 0x24 };

/**
 * The symbols of a glob. Without a table, `${...}` is plain text (as wildcardMatches reads it);
 * with one, each `${...}` piece is a token or a `*` (see TokenTable) and IAM's `${*}`, `${?}`, `${$}`
 * are the literal characters.
 */
export function compileGlob(pattern: string, tokens?: { table: TokenTable; as: 'token' | 'star' }): Glob {
  const symbols: number[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const code = pattern.charCodeAt(i);
    if (tokens && code === 0x24 && pattern.charCodeAt(i + 1) === 0x7b) {
      const end = pattern.indexOf('}', i + 2);
      if (end > 0) {
        const piece = pattern.slice(i, end + 1);
        i = end;
        const escaped = ESCAPES[piece];
        if (escaped !== undefined) symbols.push(escaped);
        else if (tokens.as === 'star') symbols.push(STAR);
        else symbols.push(tokenId(tokens.table, piece));
        continue;
      }
    }
    symbols.push(code === 0x2a ? STAR : code === 0x3f ? ANY : fold(code));
  }
  return symbols;
}

/**
 * A glob as the guardrail evaluator reads a condition value (condition-values.ts): case-sensitive,
 * `${...}` plain text. `literal` (StringEquals) reads `*` and `?` as the characters themselves.
 */
export function compileCaseSensitiveGlob(pattern: string, literal = false): Glob {
  const symbols: number[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const code = pattern.charCodeAt(i);
    symbols.push(literal ? code : code === 0x2a ? STAR : code === 0x3f ? ANY : code);
  }
  return symbols;
}

function tokenId(table: TokenTable, text: string): number {
  let id = table.ids.get(text);
  if (id === undefined) {
    id = TOKEN_BASE + table.texts.length;
    table.ids.set(text, id);
    table.texts.push(text);
  }
  return id;
}

/** Whether a glob has a wildcard (a `*` read from a token included): without one it matches one string. */
export function hasWildcard(glob: Glob): boolean {
  return glob.some((s) => s === STAR || s === ANY);
}

/**
 * The case folding of a non-Unicode `i` RegExp (ECMA-262 Canonicalize): two characters match when their
 * folds are equal. ASCII letters fold to lower case here (the classes are the same), so witnesses read naturally.
 */
function fold(code: number): number {
  if (code < 0x80) return code >= 0x41 && code <= 0x5a ? code | 0x20 : code;
  const upper = String.fromCharCode(code).toUpperCase();
  if (upper.length !== 1) return code;
  const folded = upper.charCodeAt(0);
  return folded < 0x80 ? code : folded;
}

/** Where a glob may stand: sorted positions, `glob.length` meaning "matched all of it". */
type Positions = number[];

/**
 * Adds a position, and every one after it a run of `*` lets it skip to (a `*` may match nothing), to
 * sorted positions. Positions come in sorted, and a later one inside an earlier one's run ends where
 * it ends, so adding only what passes the last one keeps them sorted and without repeats: no set and
 * no sort (this runs per glob per state).
 */
function addWithSkips(glob: Glob, out: Positions, position: number): void {
  let last = out.length === 0 ? -1 : out[out.length - 1];
  for (let p = position; ; p++) {
    if (p > last) out.push((last = p));
    if (p >= glob.length || glob[p] !== STAR) return;
  }
}

/** Where a glob stands before reading anything: its start, and past any leading `*`. */
function startPositions(glob: Glob): Positions {
  const positions: Positions = [];
  addWithSkips(glob, positions, 0);
  return positions;
}

function step(glob: Glob, positions: Positions, symbol: number): Positions {
  const next: number[] = [];
  for (const p of positions) {
    if (p === glob.length) continue;
    const g = glob[p];
    if (g === STAR) addWithSkips(glob, next, p);
    else if (g === ANY ? symbol < TOKEN_BASE : g === symbol) addWithSkips(glob, next, p + 1);
  }
  return next;
}

/**
 * Whether a glob that must not match already matches every continuation: it ends in `*` and matches
 * what has been read so far (its end is reached only through that last `*`, which then stays open).
 */
function matchesEveryContinuation(glob: Glob, positions: Positions): boolean {
  return glob[glob.length - 1] === STAR && positions[positions.length - 1] === glob.length;
}

/**
 * The symbols a positive glob can take next: undefined when any (a `*` is open), else the literals
 * it stands at, with `?` allowing every symbol but a token.
 */
function allowed(glob: Glob, positions: Positions): { any: boolean; literals: number[] } | undefined {
  const literals: number[] = [];
  let any = false;
  for (const p of positions) {
    if (p === glob.length) continue;
    const g = glob[p];
    if (g === STAR) return undefined;
    if (g === ANY) any = true;
    else literals.push(g);
  }
  return { any, literals };
}

/**
 * How many states searches may visit: at most `perSearch` each, and `left` in all, drawn down by
 * every search given this object. One evaluation (an identity's escalation check) shares one, so
 * many searches that each stop at their own limit still stop together.
 */
export interface SearchBudget {
  left: number;
  perSearch: number;
}

export function searchBudget(total: number, perSearch = DEFAULT_PER_SEARCH): SearchBudget {
  return { left: total, perSearch };
}

const DEFAULT_PER_SEARCH = 20_000;

/**
 * A state as text, which is also its key: each glob's positions, one UTF-16 unit each, globs separated
 * by 0xffff. The queue holds only these strings, and a state is decoded when visited: keeping every
 * met state's arrays alive instead made garbage collection most of a long search's time.
 */
const narrowKeys = {
  encode: (state: Positions[]) => state.map((positions) => String.fromCharCode(...positions)).join('\uffff'),
  decode: (id: string): Positions[] => id.split('\uffff').map(codeUnits),
};

function codeUnits(text: string): number[] {
  const units: number[] = [];
  for (let i = 0; i < text.length; i++) units.push(text.charCodeAt(i));
  return units;
}

/** The same for globs too long for one unit a position (no policy is; a scanned file may hold anything). */
const wideKeys = {
  encode: (state: Positions[]) => state.map((positions) => positions.join(',')).join(';'),
  decode: (id: string): Positions[] => id.split(';').map((text) => (text === '' ? [] : text.split(',').map(Number))),
};

/** How states of these globs are written as keys. */
function keysFor(globs: readonly Glob[]): typeof narrowKeys {
  return globs.some((g) => g.length >= 0xffff) ? wideKeys : narrowKeys;
}

/** The symbols a search tries: every literal and token the globs name, and FRESH for any other character. */
function alphabetOf(globs: readonly Glob[]): number[] {
  return [...new Set(globs.flatMap((g) => g.filter((s) => s >= 0)))].concat(FRESH);
}

/**
 * A string matching every glob of `all` and none of `none`, as symbols (see witnessText); undefined when
 * there is none, or when the search visits more states than its budget allows (a number: that many, for
 * this search alone). A state is one position set per glob, so real ARN patterns, which mostly step
 * through literals together, visit few; the budget bounds pathological input (many `*` and `?` in many
 * globs) and errs toward "none", the answer that reports nothing.
 */
export function commonMatch(all: readonly Glob[], none: readonly Glob[] = [], budget: number | SearchBudget = DEFAULT_PER_SEARCH): number[] | undefined {
  if (all.length === 0) return undefined;
  const shared = typeof budget === 'number' ? searchBudget(budget, budget) : budget;
  const limit = Math.min(shared.perSearch, shared.left);
  const globs = [...all, ...none];
  const alphabet = alphabetOf(globs);
  const start = globs.map(startPositions);
  const { encode, decode } = keysFor(globs);
  const startId = encode(start);
  const parents = new Map<string, { from: string; symbol: number } | null>([[startId, null]]);
  const queue: string[] = [startId];
  let head = 0;
  try {
    for (; head < queue.length; head++) {
      const id = queue[head];
      const state = head === 0 ? start : decode(id);
      if (isAccepting(globs, state, all.length)) return pathTo(parents, id);
      if (head >= limit) return undefined;
      for (const symbol of candidates(globs, all.length, state, alphabet)) {
        const next: Positions[] = [];
        let alive = true;
        for (let g = 0; g < globs.length && alive; g++) {
          const positions = step(globs[g], state[g], symbol);
          // A glob that must match and can no longer, or one that must not and will: nothing on from here.
          if (g < all.length ? positions.length === 0 : matchesEveryContinuation(globs[g], positions)) alive = false;
          next.push(positions);
        }
        if (!alive) continue;
        const nextId = encode(next);
        if (parents.has(nextId)) continue;
        parents.set(nextId, { from: id, symbol });
        queue.push(nextId);
      }
    }
    return undefined;
  } finally {
    shared.left -= Math.min(head + 1, queue.length);
  }
}

/**
 * Every way the globs can match one string together: for each set of globs that some string
 * matches while matching none of the others, the shortest such string (as symbols), keyed by its
 * signature ('1' per glob matched, '0' per glob not). Undefined when the search visits more than
 * `budget` states: the caller cannot then claim it has seen every way. Globs without tokens.
 */
export function matchSignatures(globs: readonly Glob[], budget = 2_000): Map<string, number[]> | undefined {
  const alphabet = alphabetOf(globs);
  const start = globs.map(startPositions);
  const { encode: key } = keysFor(globs);
  const parents = new Map<string, { from: string; symbol: number } | null>([[key(start), null]]);
  const queue: Array<{ state: Positions[]; id: string }> = [{ state: start, id: key(start) }];
  const found = new Map<string, number[]>();
  for (let head = 0; head < queue.length; head++) {
    if (head >= budget) return undefined;
    const { state, id } = queue[head];
    const signature = state.map((positions, g) => (positions.includes(globs[g].length) ? '1' : '0')).join('');
    if (!found.has(signature)) found.set(signature, pathTo(parents, id));
    // Every glob dead: each longer string has this state's signature (all '0'), already recorded.
    if (state.every((positions) => positions.length === 0)) continue;
    for (const symbol of alphabet) {
      const next = globs.map((g, i) => step(g, state[i], symbol));
      const nextId = key(next);
      if (parents.has(nextId)) continue;
      parents.set(nextId, { from: id, symbol });
      queue.push({ state: next, id: nextId });
    }
  }
  return found;
}

function isAccepting(globs: readonly Glob[], state: Positions[], positives: number): boolean {
  return state.every((positions, g) => positions.includes(globs[g].length) === g < positives);
}

/**
 * The symbols worth trying next: those every positive glob can take (all of them when each has a `*`
 * open), and of the characters only those some glob stands at: any other character moves every glob
 * as FRESH does (only `*` and `?` take it), so FRESH stands for them all. Tokens are kept: no `?` takes one.
 */
function candidates(globs: readonly Glob[], positives: number, state: Positions[], alphabet: readonly number[]): readonly number[] {
  const named = new Set<number>();
  for (let g = 0; g < globs.length; g++) {
    const glob = globs[g];
    for (const p of state[g]) if (p < glob.length && glob[p] >= 0) named.add(glob[p]);
  }
  let out = alphabet.filter((s) => s === FRESH || s >= TOKEN_BASE || named.has(s));
  for (let g = 0; g < positives; g++) {
    const can = allowed(globs[g], state[g]);
    if (!can) continue;
    out = out.filter((s) => (can.any && s < TOKEN_BASE) || can.literals.includes(s));
  }
  return out;
}

function pathTo(parents: Map<string, { from: string; symbol: number } | null>, id: string): number[] {
  const symbols: number[] = [];
  for (let at = parents.get(id); at; at = parents.get(at.from)) symbols.push(at.symbol);
  return symbols.reverse();
}

/** A witness as text: literals as themselves, tokens as written, the fresh character as one no glob named. */
export function witnessText(symbols: readonly number[], globs: readonly Glob[], tokens?: TokenTable): string {
  const named = new Set(globs.flatMap((g) => g.filter((s) => s >= 0 && s < TOKEN_BASE)));
  const fresh = [...'x0z9_-qk'].map((c) => c.charCodeAt(0)).find((c) => !named.has(fold(c))) ?? 0xe000;
  return symbols.map((s) => (s === FRESH ? String.fromCharCode(fresh) : s >= TOKEN_BASE ? (tokens?.texts[s - TOKEN_BASE] ?? '') : String.fromCharCode(s))).join('');
}
