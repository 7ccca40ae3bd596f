/**
 * The Raw JSON tab's tree. Rows are a flat list (indentation by depth, not nested elements), so
 * 10,000-deep JSON cannot overflow the layout engine; a node's children are built only when it is
 * expanded, and big arrays and objects come in pages. With a `RawSource` the values are the host's
 * stand-ins (stubs) until expanded: each expansion asks the host for that node's children, and a
 * long string comes slice by slice, so the page never holds the whole trace.
 */
import * as l10n from '@vscode/l10n';
import { groupDigits } from '../core/conversation/format';
import { copy } from './bridge';
import { formatSize, h, icon, revealBidi, textBlock } from './dom';
import { pathToString, type PathSegment } from './jsonPath';
import { stubOf, type StubInfo } from '../core/viewer/traceStubs';
import type { RawSource } from './hostRequests';
import { treeKeysHint, TreeKeyboard, untabbed, type TreeRows } from './jsonTreeKeys';

const PAGE = 250;
const PREVIEW_CHARS = 160;
/** Strings longer than this, or with a line break, open into a text block. */
const INLINE_STRING = 120;
/** Expand all stops after this many rows: beyond it the page would be too slow to be useful. */
export const EXPAND_ALL_ROWS = 3000;
const MAX_INDENT_LEVELS = 40;
const DECODE_LIMIT = 20_000_000;

type Container = Record<string, unknown> | unknown[];

function isContainer(value: unknown): value is Container {
  return value !== null && typeof value === 'object';
}

function looksLikeJson(value: string): boolean {
  if (value.length < 2 || value.length > DECODE_LIMIT) {
    return false;
  }
  const t = value.trim();
  return (t.startsWith('{') && t.endsWith('}')) || (t.startsWith('[') && t.endsWith(']'));
}

class TreeNode {
  row: HTMLElement;
  expanded = false;
  kids: TreeNode[] = [];
  /** The row holding "Show more" when only some children are built. */
  moreRow: HTMLElement | undefined;
  /** The row holding a long string's text. */
  textRow: HTMLElement | undefined;
  /** The value parsed from a JSON string, once decoded. */
  decoded: { value: unknown } | undefined;
  /** How many children the host holds (more than received when it sent them in pages). */
  total: number | undefined;
  /** An expansion waiting for the host. */
  loading: Promise<number> | undefined;
  private keyCache: string[] | undefined;

  constructor(
    readonly tree: JsonTree,
    public value: unknown,
    readonly key: PathSegment | undefined,
    readonly label: string,
    readonly parent: TreeNode | undefined,
    readonly depth: number,
    /** Its place among its siblings (for aria-posinset). */
    readonly index = 0,
  ) {
    this.row = tree.buildRow(this);
  }

  /** Computed on demand from the parent links: stored paths would be quadratic on deep data. */
  get path(): PathSegment[] {
    const path: PathSegment[] = [];
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- a walk up the parent links starts here
    for (let n: TreeNode | undefined = this; n; n = n.parent) {
      if (n !== this && n.decoded) {
        path.push({ decoded: true });
      }
      path.push(n.key as PathSegment);
    }
    return path.reverse();
  }

  /** What the children come from: the value, or what was decoded from it. */
  get effective(): unknown {
    return this.decoded ? this.decoded.value : this.value;
  }

  /** The host's stand-in this node still is, if any. */
  get stub(): StubInfo | undefined {
    return this.tree.source ? stubOf(this.effective) : undefined;
  }

  /** Children the page holds (of `childCount`). */
  get loadedCount(): number {
    const v = this.effective;
    if (!isContainer(v) || this.stub) {
      return 0;
    }
    return Array.isArray(v) ? v.length : this.keys().length;
  }

  get childCount(): number {
    const stub = this.stub;
    if (stub) {
      return stub.kind === 'string' ? 0 : stub.count;
    }
    if (this.total !== undefined) {
      return this.total;
    }
    const v = this.effective;
    if (!isContainer(v)) {
      return 0;
    }
    return Array.isArray(v) ? v.length : this.keys().length;
  }

  keys(): string[] {
    this.keyCache ??= Object.keys(this.effective as object);
    return this.keyCache;
  }

  get expandable(): boolean {
    const stub = this.stub;
    if (stub) {
      return stub.kind === 'string' || stub.count > 0;
    }
    const v = this.effective;
    if (isContainer(v)) {
      return this.childCount > 0;
    }
    return typeof v === 'string' && (v.length > INLINE_STRING || v.includes('\n'));
  }

  /** The last row this node shows (itself, its text, or its last descendant), found without recursion. */
  lastRow(): HTMLElement {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- a walk down the last children starts here
    let node: TreeNode = this;
    for (;;) {
      if (!node.expanded) {
        return node.row;
      }
      if (node.moreRow) {
        return node.moreRow;
      }
      if (node.kids.length > 0) {
        node = node.kids[node.kids.length - 1];
        continue;
      }
      return node.textRow ?? node.row;
    }
  }

  childAt(i: number): TreeNode {
    const v = this.effective;
    if (Array.isArray(v)) {
      return new TreeNode(this.tree, v[i], i, String(i), this, this.depth + 1, i);
    }
    const key = this.keys()[i];
    return new TreeNode(this.tree, (v as Record<string, unknown>)[key], key, key, this, this.depth + 1, i);
  }

  /** Fetches children from the host until `upTo` are held (a stub becomes its node, one level deep). */
  async load(upTo: number): Promise<void> {
    const source = this.tree.source;
    if (!source) {
      return;
    }
    const stub = this.stub;
    if (stub?.kind === 'string') {
      return;
    }
    while (this.stub || (this.loadedCount < Math.min(upTo, this.childCount))) {
      const offset = this.stub ? 0 : this.loadedCount;
      // A decoded node's own children live under its decoded segment.
      const answer = await source.node(this.decoded ? [...this.path, { decoded: true }] : this.path, offset);
      if (answer.error !== undefined || answer.value === undefined) {
        throw new Error(answer.error ?? l10n.t('The host sent nothing.'));
      }
      const fresh = answer.value;
      if (this.stub || offset === 0) {
        this.setEffective(fresh);
      } else if (Array.isArray(this.effective) && Array.isArray(fresh)) {
        (this.effective as unknown[]).push(...(fresh as unknown[]));
      } else {
        Object.assign(this.effective as object, fresh);
        this.keyCache = undefined;
      }
      this.total = answer.total;
      if ((Array.isArray(fresh) ? fresh.length : Object.keys(fresh as object).length) === 0) {
        return;
      }
    }
  }

  private setEffective(value: unknown): void {
    if (this.decoded) {
      this.decoded = { value };
    } else {
      this.value = value;
    }
    this.keyCache = undefined;
  }

  /** Builds children up to index `upTo` (exclusive, at least one page). Returns rows created. */
  renderKids(upTo: number): number {
    const total = this.childCount;
    if (this.tree.source && this.loadedCount < Math.min(total, Math.max(upTo, this.kids.length + PAGE))) {
      void this.loadThen(() => this.renderKids(upTo), Math.max(upTo, this.kids.length + PAGE));
      return 0;
    }
    const end = Math.min(total, Math.max(upTo, this.kids.length + PAGE));
    if (end <= this.kids.length) {
      return 0;
    }
    const start = this.kids.length;
    const oldMore = this.moreRow;
    const moreHadFocus = oldMore?.contains(document.activeElement) === true;
    const anchor = start > 0 ? this.kids[start - 1].lastRow() : (this.textRow ?? this.row);
    const fragment = document.createDocumentFragment();
    for (let i = start; i < end; i++) {
      const kid = this.childAt(i);
      this.kids.push(kid);
      fragment.append(kid.row);
    }
    this.moreRow?.remove();
    this.moreRow = undefined;
    if (end < total) {
      this.moreRow = this.tree.buildMoreRow(this, total - end);
      fragment.append(this.moreRow);
    }
    this.tree.insertAfter(anchor, fragment);
    if (oldMore) {
      this.tree.keys.replaced(oldMore, this.kids[start].row, moreHadFocus);
    }
    this.tree.keys.ensureActive();
    return end - start;
  }

  /** Loads from the host what `upTo` children need, then runs `then`; the row says while it waits. */
  loadThen(then: () => number, upTo: number): Promise<number> {
    this.loading ??= (async () => {
      this.row.setAttribute('aria-busy', 'true');
      const wasStub = this.stub !== undefined;
      try {
        await this.load(upTo);
        if (wasStub) {
          // The row was built for the stand-in: built again for what it stands for.
          this.tree.swapRow(this, this.tree.buildRow(this));
        }
        return then();
      } catch (e) {
        this.row.dataset.error = e instanceof Error ? e.message : String(e);
        return 0;
      } finally {
        this.row.removeAttribute('aria-busy');
        this.loading = undefined;
      }
    })();
    return this.loading;
  }

  /** Expands, waiting for the host when the children are not here yet; resolves with the rows created. */
  expandAsync(): Promise<number> {
    if (this.stub && this.stub.kind !== 'string' && !this.expanded) {
      return this.loadThen(() => this.expand(), PAGE);
    }
    return this.loading ? this.loading.then(() => this.expand()) : Promise.resolve(this.expand());
  }

  expand(): number {
    if (this.expanded || !this.expandable) {
      return 0;
    }
    const stub = this.stub;
    if (stub && stub.kind !== 'string') {
      void this.expandAsync();
      return 0;
    }
    this.expanded = true;
    this.row.setAttribute('aria-expanded', 'true');
    this.tree.setChevron(this, true);
    const v = this.effective;
    if (stub?.kind === 'string') {
      this.textRow = untabbed(h('div', { class: 'jtext', role: 'treeitem', 'aria-level': this.depth + 2, tabindex: -1, 'data-part': 'string-slices' }));
      this.tree.indent(this.textRow, this.depth + 1);
      this.tree.insertAfter(this.row, this.textRow);
      void this.tree.readSlices(this, this.textRow, 0, stub.length);
      return 1;
    }
    if (typeof v === 'string') {
      this.textRow = untabbed(h('div', { class: 'jtext', role: 'treeitem', 'aria-level': this.depth + 2, tabindex: -1 }, textBlock(v, 'text')));
      this.tree.indent(this.textRow, this.depth + 1);
      this.tree.insertAfter(this.row, this.textRow);
      return 1;
    }
    return this.renderKids(PAGE);
  }

  collapse(): void {
    if (!this.expanded) {
      return;
    }
    const hadFocus = this.tree.element.contains(document.activeElement) && document.activeElement !== this.row;
    // Remove every descendant row, iteratively (deep data must not recurse).
    const stack: TreeNode[] = [...this.kids];
    while (stack.length > 0) {
      const n = stack.pop()!;
      n.row.remove();
      n.textRow?.remove();
      n.moreRow?.remove();
      if (n.expanded) {
        stack.push(...n.kids);
      }
    }
    this.kids = [];
    this.textRow?.remove();
    this.textRow = undefined;
    this.moreRow?.remove();
    this.moreRow = undefined;
    this.expanded = false;
    this.row.setAttribute('aria-expanded', 'false');
    this.tree.setChevron(this, false);
    this.tree.keys.collapsed(this.row, hadFocus);
  }
}

export class JsonTree {
  readonly element: HTMLElement;
  private readonly nodes = new WeakMap<Element, TreeNode>();
  private readonly roots: TreeNode[];
  private readonly rootCount: number;
  private current: HTMLElement | undefined;
  /** The arrow keys and the one tab stop (jsonTreeKeys.ts). */
  readonly keys: TreeKeyboard;
  /** The keys, told to screen readers (the tree's description); put beside the tree. */
  readonly hint = h('span', { class: 'sr-only', id: 'jtree-keys' }, treeKeysHint());

  constructor(
    roots: { key: string; value: unknown }[],
    /** Where stubs are filled from; absent when the page holds the whole JSON. */
    readonly source?: RawSource,
  ) {
    this.element = h('div', { class: 'jtree', role: 'tree', 'aria-label': l10n.t('Raw JSON'), 'aria-describedby': 'jtree-keys' });
    this.element.addEventListener('click', (ev) => this.onClick(ev));
    this.keys = new TreeKeyboard(this.element, this.rowsForKeys());
    this.rootCount = roots.length;
    this.roots = roots.map((r, i) => new TreeNode(this, r.value, r.key, r.key, undefined, 0, i));
    for (const root of this.roots) {
      this.element.append(root.row);
      root.expand();
    }
    this.keys.ensureActive();
  }

  /** The node whose own row `row` is (not its text or "Show more" row). */
  private nodeOfRow(row: HTMLElement): TreeNode | undefined {
    const node = this.nodes.get(row);
    return node?.row === row ? node : undefined;
  }

  private rowsForKeys(): TreeRows {
    return {
      state: (row) => {
        const node = this.nodeOfRow(row);
        return node && { expandable: node.expandable, expanded: node.expanded };
      },
      expand: async (row) => {
        await this.nodeOfRow(row)?.expandAsync();
      },
      collapse: (row) => this.nodeOfRow(row)?.collapse(),
      parent: (row) => this.nodeOfRow(row)?.parent?.row,
      firstChild: (row) => {
        const node = this.nodeOfRow(row);
        return node?.kids[0]?.row ?? node?.textRow;
      },
      expandSiblings: (row) => {
        const node = this.nodeOfRow(row);
        for (const sibling of node?.parent ? node.parent.kids : node ? this.roots : []) {
          void sibling.expandAsync();
        }
      },
      act: (row, action) => {
        const node = this.nodeOfRow(row);
        if (node) {
          this.act(node, action, row.querySelector('[data-act="decode"]'));
        }
      },
    };
  }

  /** Puts a rebuilt row in the node's place; the tab stop and the focus follow it. */
  swapRow(node: TreeNode, fresh: HTMLElement): void {
    const old = node.row;
    const hadFocus = old.contains(document.activeElement);
    old.replaceWith(fresh);
    node.row = fresh;
    this.keys.replaced(old, fresh, hadFocus);
  }

  indent(row: HTMLElement, depth: number): void {
    row.style.paddingLeft = `${Math.min(depth, MAX_INDENT_LEVELS) * 14 + 4}px`;
  }

  insertAfter(ref: Element, node: Node): void {
    ref.parentNode?.insertBefore(node, ref.nextSibling);
  }

  setChevron(node: TreeNode, open: boolean): void {
    const chevron = node.row.firstElementChild?.classList.contains('jtoggle') ? node.row.firstElementChild.firstElementChild : node.row.children[1]?.firstElementChild;
    if (chevron) {
      chevron.className = `codicon codicon-${open ? 'chevron-down' : 'chevron-right'}`;
    }
  }

  /** Shows a long string the host holds, one slice at a time behind "Show more". */
  async readSlices(node: TreeNode, into: HTMLElement, offset: number, total: number): Promise<void> {
    const answer = await this.source!.slice(node.path, offset);
    if (answer.text === undefined) {
      into.append(h('span', { class: 'muted' }, answer.error ?? l10n.t('The host sent nothing.')));
      return;
    }
    into.querySelector('.jslice-more')?.remove();
    // One text block the slices are added to (as text, never markup); the host sent it in slices already.
    let block = into.querySelector<HTMLElement>('.jslices');
    if (!block) {
      block = h('div', { class: 'text jslices' });
      into.prepend(block);
    }
    block.append(document.createTextNode(revealBidi(answer.text)));
    const next = offset + answer.text.length;
    if (next < total && answer.text.length > 0) {
      const more = h('button', { type: 'button', class: 'text-button jslice-more', 'data-part': 'slice-more' }, icon('unfold'), l10n.t('Show more ({0} left)', formatSize(total - next)));
      more.addEventListener('click', () => void this.readSlices(node, into, next, total));
      into.append(more);
    }
  }

  buildRow(node: TreeNode): HTMLElement {
    const siblings = node.parent ? node.parent.childCount : this.rootCount;
    const row = h('div', { class: 'jrow', role: 'treeitem', 'aria-level': node.depth + 1, 'aria-setsize': siblings, 'aria-posinset': siblings ? node.index + 1 : undefined, tabindex: -1 });
    this.indent(row, node.depth);
    if (node.depth > MAX_INDENT_LEVELS) {
      row.append(h('span', { class: 'jdepth muted', title: l10n.t('Nesting depth {0}', node.depth) }, `${node.depth}›`));
    }
    if (node.expandable) {
      row.setAttribute('aria-expanded', 'false');
      // The mouse's affordance; the keyboard has the arrows, and the row says aria-expanded.
      row.append(h('button', { type: 'button', class: 'jtoggle', 'data-act': 'toggle', 'aria-label': l10n.t('Expand {0}', node.label), title: l10n.t('Expand {0}', node.label), tabindex: -1, 'aria-hidden': 'true' }, icon('chevron-right')));
    } else {
      row.append(h('span', { class: 'jspacer' }));
    }
    row.append(h('span', { class: typeof node.key === 'number' ? 'jkey jindex' : 'jkey' }, node.label), h('span', { class: 'jcolon' }, ': '));
    row.append(this.preview(node));
    // Shown on the hovered and the focused row; the keyboard has C, Shift+C and D (jsonTreeKeys.ts).
    const actions = h('span', { class: 'jactions', 'aria-hidden': 'true' });
    const stub = node.stub;
    if (!node.decoded && ((typeof node.value === 'string' && looksLikeJson(node.value)) || (stub?.kind === 'string' && looksLikeJson(stub.head + '}')))) {
      actions.append(h('button', { type: 'button', class: 'jaction', 'data-act': 'decode', title: l10n.t('Decode the JSON in this string (D)'), tabindex: -1 }, icon('bracket'), l10n.t('decode')));
    }
    actions.append(
      h('button', { type: 'button', class: 'jaction', 'data-act': 'copy-value', title: l10n.t('Copy value (C)'), 'aria-label': l10n.t('Copy value of {0}', node.label), tabindex: -1 }, icon('copy')),
      h('button', { type: 'button', class: 'jaction', 'data-act': 'copy-path', title: l10n.t('Copy JSON path (Shift+C)'), 'aria-label': l10n.t('Copy path of {0}', node.label), tabindex: -1 }, icon('symbol-key')),
    );
    row.append(actions);
    this.nodes.set(row, node);
    return row;
  }

  private preview(node: TreeNode): HTMLElement {
    const v = node.effective;
    const stub = node.stub;
    if (stub) {
      if (stub.kind === 'string') {
        return h('span', { class: 'jval jstring' }, `"${stub.head.slice(0, PREVIEW_CHARS).replace(/\r?\n/g, '↵')}…"`, h('span', { class: 'muted jlen' }, ` ${formatSize(stub.length)}`));
      }
      const n = stub.count;
      if (node.decoded) {
        return h('span', { class: 'jval jdecoded' }, decodedText(stub.kind === 'array', n));
      }
      return h('span', { class: 'jval jsummary' }, containerText(stub.kind === 'array', n));
    }
    if (node.decoded) {
      const n = node.childCount;
      return h('span', { class: 'jval jdecoded' }, decodedText(Array.isArray(v), n));
    }
    if (Array.isArray(v)) {
      const n = node.childCount;
      return h('span', { class: 'jval jsummary' }, containerText(true, n));
    }
    if (isContainer(v)) {
      const n = node.childCount;
      return h('span', { class: 'jval jsummary' }, containerText(false, n));
    }
    if (typeof v === 'string') {
      const oneLine = v.slice(0, PREVIEW_CHARS).replace(/\r?\n/g, '↵');
      const long = v.length > PREVIEW_CHARS;
      return h('span', { class: 'jval jstring' }, `"${oneLine}${long ? '…' : ''}"`, long ? h('span', { class: 'muted jlen' }, ` ${formatSize(v.length)}`) : null);
    }
    return h('span', { class: `jval j${v === null ? 'null' : typeof v}` }, String(v));
  }

  buildMoreRow(node: TreeNode, remaining: number): HTMLElement {
    const more = h(
      'div',
      { class: 'jrow jmore', role: 'treeitem', 'aria-level': node.depth + 2, tabindex: -1 },
      h('button', { type: 'button', class: 'text-button', 'data-act': 'more', tabindex: -1 }, icon('unfold'), l10n.t('Show {0} more of {1}', groupDigits(Math.min(PAGE, remaining)), groupDigits(remaining))),
    );
    this.indent(more, node.depth + 1);
    this.nodes.set(more, node);
    return more;
  }

  private onClick(ev: MouseEvent): void {
    const target = ev.target instanceof Element ? ev.target.closest('[data-act]') : null;
    const row = target?.closest('.jrow');
    const node = row ? this.nodes.get(row) : undefined;
    if (!target || !node) {
      return;
    }
    this.act(node, target.getAttribute('data-act') ?? '', target);
  }

  /** What a row's button does, by its `data-act`; the keys call it too. */
  private act(node: TreeNode, action: string, target: Element | null): void {
    switch (action) {
      case 'toggle':
        if (node.expanded) {
          node.collapse();
        } else {
          node.expand();
        }
        break;
      case 'more':
        node.renderKids(node.kids.length + PAGE);
        break;
      case 'copy-value':
        if (this.source && (isContainer(node.effective) || node.stub)) {
          // The page holds only part of it: the host copies the whole value.
          this.source.copy(node.path, l10n.t('Value of {0}', pathToString(node.path)));
          break;
        }
        copy(typeof node.effective === 'string' ? node.effective : safeJson(node.effective), l10n.t('Value of {0}', pathToString(node.path)));
        break;
      case 'copy-path':
        copy(pathToString(node.path), l10n.t('JSON path'));
        break;
      case 'decode':
        if (target) {
          this.decode(node, target as HTMLButtonElement);
        }
        break;
    }
  }

  private decode(node: TreeNode, button: HTMLButtonElement): void {
    void this.decodeNode(node).then((error) => {
      if (error) {
        button.disabled = true;
        button.title = error;
      }
    });
  }

  /** Shows a JSON string as the value it holds; resolves with why not, if it cannot. */
  private async decodeNode(node: TreeNode): Promise<string | undefined> {
    let parsed: unknown;
    let total: number | undefined;
    if (node.stub?.kind === 'string') {
      // The host holds the whole string: it decodes it and sends the top level.
      const answer = await this.source!.node([...node.path, { decoded: true }]);
      if (answer.value === undefined) {
        return answer.error ?? l10n.t('This string is not valid JSON');
      }
      parsed = answer.value;
      total = answer.total;
    } else {
      try {
        parsed = JSON.parse(node.value as string);
      } catch {
        return l10n.t('This string is not valid JSON');
      }
    }
    node.collapse();
    node.decoded = { value: parsed };
    node.total = total;
    // Rebuild the row to show it as a container now.
    this.swapRow(node, this.buildRow(node));
    node.expand();
    return undefined;
  }

  /** Expands breadth-first until `EXPAND_ALL_ROWS` rows exist; returns whether it stopped early. */
  async expandAll(): Promise<boolean> {
    let rows = 0;
    const queue: TreeNode[] = [...this.roots];
    while (queue.length > 0) {
      const node = queue.shift()!;
      if (isContainer(node.effective) && node.stub?.kind !== 'string') {
        rows += this.source ? await node.expandAsync() : node.expand();
        if (rows >= EXPAND_ALL_ROWS) {
          return true;
        }
        queue.push(...node.kids);
      }
    }
    return false;
  }

  collapseAll(): void {
    for (const root of this.roots) {
      root.collapse();
    }
  }

  /** Expands down to `path`, builds its row, scrolls to it and marks it current (the find marks the match in it). */
  async reveal(path: readonly PathSegment[]): Promise<HTMLElement | undefined> {
    let node = this.roots.find((r) => r.key === path[0]);
    for (let i = 1; node && i < path.length; i++) {
      let seg = path[i];
      const parent: TreeNode = node;
      if (typeof seg === 'object' && i + 1 < path.length) {
        // The find found it inside a decoded string: decode it first (locally, or by the host).
        if (!parent.decoded) {
          await this.decodeNode(parent);
        }
        seg = path[++i];
      }
      if (this.source) {
        await parent.expandAsync();
        await parent.load(typeof seg === 'number' ? seg + 1 : parent.childCount);
      } else {
        parent.expand();
      }
      const index = typeof seg === 'number' ? seg : parent.keys().indexOf(seg as string);
      if (index < 0) {
        return undefined;
      }
      if (index >= parent.kids.length) {
        parent.renderKids(index + 1);
      }
      node = parent.kids[index];
    }
    if (!node) {
      return undefined;
    }
    this.current?.classList.remove('jcurrent');
    this.current = node.row;
    node.row.classList.add('jcurrent');
    node.row.scrollIntoView({ block: 'center' });
    return node.row;
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

/** `[ 3 items ]`, `{ 1 key }`, `[]`: a container's size on its row. */
function containerText(isArray: boolean, n: number): string {
  if (n === 0) {
    return isArray ? '[]' : '{}';
  }
  const count = n === 1 ? (isArray ? l10n.t('1 item') : l10n.t('1 key')) : isArray ? l10n.t('{0} items', n) : l10n.t('{0} keys', n);
  return isArray ? `[ ${count} ]` : `{ ${count} }`;
}

/** `[3] decoded JSON`: a string that was decoded into a container. */
function decodedText(isArray: boolean, n: number): string {
  return l10n.t('{0} decoded JSON', isArray ? `[${n}]` : `{${n}}`);
}
