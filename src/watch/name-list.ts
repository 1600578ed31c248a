/**
 * An immutable set of entry names of one directory, kept in one string: `/a/b/c/`. A name
 * never holds a `/`, so each is found by its slashes. A directory's listing can leave many
 * names aside (the docs and JavaScript of a big tree); one string per directory costs a
 * byte per character, where a Set cost a string and a table slot per name (bench/footprint.mjs).
 * Adding a name copies the string, as adding to a copied Set did.
 */
export class NameList implements Iterable<string> {
  /** The list of no names. */
  static readonly EMPTY = new NameList('/', 0);

  /** The names of `names`, each once, in order. */
  static of(names: Iterable<string>): NameList {
    let list = NameList.EMPTY;
    const unique = [...new Set(names)];
    if (unique.length > 0) list = new NameList(`/${unique.join('/')}/`, unique.length);
    return list;
  }

  /**
   * The names of one directory listing, which holds each name once (what a walk ignores):
   * no set is built to find duplicates.
   */
  static ofListing(names: readonly string[]): NameList {
    return names.length === 0 ? NameList.EMPTY : new NameList(`/${names.join('/')}/`, names.length);
  }

  readonly #joined: string;
  /** How many names it holds. */
  readonly size: number;

  private constructor(joined: string, size: number) {
    this.#joined = joined;
    this.size = size;
  }

  /** True when `name` is one of the names (a whole name, never a part of one). */
  has(name: string): boolean {
    return name !== '' && !name.includes('/') && this.#joined.includes(`/${name}/`);
  }

  /** The list with `name` too (this list when it has it already). */
  with(name: string): NameList {
    if (name === '' || name.includes('/')) throw new Error(`not an entry name: ${name}`);
    if (this.has(name)) return this;
    return new NameList(`${this.#joined}${name}/`, this.size + 1);
  }

  /** The names `keep` accepts (this list when it accepts all). */
  filter(keep: (name: string) => boolean): NameList {
    const kept = [...this].filter(keep);
    return kept.length === this.size ? this : NameList.of(kept);
  }

  *[Symbol.iterator](): Iterator<string> {
    const joined = this.#joined;
    for (let start = 1; start < joined.length; ) {
      const end = joined.indexOf('/', start);
      yield joined.slice(start, end);
      start = end + 1;
    }
  }
}
