import { ArgumentError } from '@plexus/tensor';

/**
 * A minimal reader of Python pickles (protocols 0–5, the opcodes that plain data, numpy arrays,
 * scipy sparse matrices and defaultdicts use). It never runs code: a global such as
 * `numpy.core.multiarray._reconstruct` is only a name, and calling it (REDUCE, NEWOBJ) records a
 * PyObject with its arguments and state for the caller to interpret. Python 2 `str` values are
 * decoded as latin-1 (like Python 3's `pickle.load(f, encoding='latin1')`), so binary payloads
 * survive byte for byte; Python 3 `bytes` become Uint8Array.
 */

/** A module-level name (class or function) referenced by the pickle. */
export class PyGlobal {
  constructor(readonly module: string, readonly name: string) {}
  get fullName(): string {
    return `${this.module}.${this.name}`;
  }
}

/** The result of calling a global: its class, arguments, BUILD state and any dict/list items. */
export class PyObject {
  state: PyValue = null;
  /** Items set by SETITEM(S) (a defaultdict's content). */
  readonly dict = new Map<PyKey, PyValue>();
  /** Items added by APPEND(S) (a list subclass). */
  readonly list: PyValue[] = [];
  constructor(readonly cls: PyGlobal, readonly args: PyValue[]) {}
}

export class PyTuple {
  constructor(readonly items: PyValue[]) {}
}

export type PyKey = string | number | boolean | null | bigint;
export type PyValue = PyKey | Uint8Array | PyValue[] | PyTuple | Map<PyKey, PyValue> | PyGlobal | PyObject;


const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');

export interface ParsePickleOptions {
  /** Named in error messages (default 'pickle'). */
  source?: string;
}

/** Parses one pickle from `bytes`; errors name the source, the byte offset and what was wrong. */
export function parsePickle(bytes: Uint8Array, options: ParsePickleOptions = {}): PyValue {
  const source = options.source ?? 'pickle';
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  let opPos = 0;
  const fail = (what: string, at = opPos): never => {
    throw new ArgumentError(`parsePickle: ${source} at byte offset ${at}: ${what}`);
  };
  const need = (n: number): void => {
    if (pos + n > bytes.length) fail(`truncated: needs ${n} more bytes, the file ends at ${bytes.length}`);
  };
  const u8 = (): number => (need(1), bytes[pos++]);
  const u16 = (): number => (need(2), (pos += 2), view.getUint16(pos - 2, true));
  const u32 = (): number => (need(4), (pos += 4), view.getUint32(pos - 4, true));
  const i32 = (): number => (need(4), (pos += 4), view.getInt32(pos - 4, true));
  const u64 = (): number => {
    need(8);
    const lo = view.getUint32(pos, true);
    const hi = view.getUint32(pos + 4, true);
    pos += 8;
    if (hi > 0x1fffff) fail('a 64-bit length larger than 2^53');
    return hi * 2 ** 32 + lo;
  };
  const take = (n: number): Uint8Array => (need(n), (pos += n), bytes.subarray(pos - n, pos));
  const line = (): string => {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0) fail('a text argument has no terminating newline');
    const s = latin1.decode(bytes.subarray(pos, end));
    pos = end + 1;
    return s;
  };
  const littleInt = (b: Uint8Array): number | bigint => {
    if (b.length === 0) return 0;
    let v = 0n;
    for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
    if (b[b.length - 1] & 0x80) v -= 1n << BigInt(8 * b.length);
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  };

  const stack: PyValue[] = [];
  const metastack: PyValue[][] = [];
  const memo = new Map<number, PyValue>();
  const pop = (): PyValue => {
    if (stack.length === 0) fail('stack underflow');
    return stack.pop()!;
  };
  const top = (): PyValue => {
    const v = stack[stack.length - 1];
    if (v === undefined) fail('expected a value on the stack');
    return v;
  };
  const popMark = (): PyValue[] => {
    const items = stack.splice(0);
    const prev = metastack.pop();
    if (prev === undefined) fail('no MARK to pop to');
    stack.push(...prev!);
    return items;
  };
  const setItems = (target: PyValue, kv: PyValue[]): void => {
    const dict = target instanceof Map ? target : target instanceof PyObject ? target.dict : fail(`SETITEM(S) on a ${describe(target)}`);
    for (let i = 0; i + 1 < kv.length; i += 2) {
      const k = kv[i];
      if (k !== null && typeof k === 'object') fail(`unsupported dict key of type ${describe(k)}`);
      (dict as Map<PyKey, PyValue>).set(k as PyKey, kv[i + 1]);
    }
  };
  const append = (target: PyValue, items: PyValue[]): void => {
    if (Array.isArray(target)) target.push(...items);
    else if (target instanceof PyObject) target.list.push(...items);
    else fail(`APPEND(S) on a ${describe(target)}`);
  };
  const call = (fn: PyValue, args: PyValue): PyValue => {
    if (!(fn instanceof PyGlobal)) return fail(`REDUCE of a non-global ${describe(fn)}`);
    const a = args instanceof PyTuple ? args.items : fail(`REDUCE arguments must be a tuple, got ${describe(args)}`);
    // Python 3 pickles bytes at protocol 2 as _codecs.encode(latin-1 text, 'latin1').
    if (fn.fullName === '_codecs.encode' && typeof a[0] === 'string') return Uint8Array.from(a[0], (c) => c.charCodeAt(0) & 0xff);
    // copy_reg._reconstructor(cls, base, state): an instance of cls.
    if ((fn.module === 'copy_reg' || fn.module === 'copyreg') && fn.name === '_reconstructor' && a[0] instanceof PyGlobal) return new PyObject(a[0], []);
    return new PyObject(fn, a);
  };

  for (;;) {
    opPos = pos;
    if (pos >= bytes.length) fail('the pickle ends without a STOP opcode', pos);
    const op = bytes[pos++];
    switch (op) {
      case 0x80: u8(); break; // PROTO
      case 0x95: u64(); break; // FRAME: framing only, data follows inline
      case 0x28: metastack.push(stack.splice(0)); break; // MARK
      case 0x2e: { // STOP
        const v = pop();
        return v;
      }
      case 0x30: pop(); break; // POP
      case 0x31: popMark(); break; // POP_MARK
      case 0x32: stack.push(top()); break; // DUP
      case 0x4e: stack.push(null); break; // NONE
      case 0x88: stack.push(true); break;
      case 0x89: stack.push(false); break;
      case 0x4a: stack.push(i32()); break; // BININT
      case 0x4b: stack.push(u8()); break; // BININT1
      case 0x4d: stack.push(u16()); break; // BININT2
      case 0x8a: stack.push(littleInt(take(u8()))); break; // LONG1
      case 0x8b: { const n = i32(); if (n < 0) fail('negative LONG4 length'); stack.push(littleInt(take(n))); break; }
      case 0x49: { // INT (text); "00"/"01" are False/True in protocol 0
        const s = line();
        if (s === '00' || s === '01') stack.push(s === '01');
        else { const v = Number(s); if (!Number.isInteger(v)) fail(`bad INT '${s}'`); stack.push(v); }
        break;
      }
      case 0x4c: { const s = line().replace(/L$/, ''); if (!/^-?\d+$/.test(s)) fail(`bad LONG '${s}'`); const b = BigInt(s); stack.push(b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b); break; }
      case 0x47: need(8); stack.push(view.getFloat64(pos, false)); pos += 8; break; // BINFLOAT (big-endian)
      case 0x46: { const s = line(); const v = Number(s); if (Number.isNaN(v) && !/nan/i.test(s)) fail(`bad FLOAT '${s}'`); stack.push(v); break; }
      case 0x55: stack.push(latin1.decode(take(u8()))); break; // SHORT_BINSTRING (py2 str)
      case 0x54: { const n = i32(); if (n < 0) fail('negative BINSTRING length'); stack.push(latin1.decode(take(n))); break; }
      case 0x8c: stack.push(utf8.decode(take(u8()))); break; // SHORT_BINUNICODE
      case 0x58: stack.push(utf8.decode(take(u32()))); break; // BINUNICODE
      case 0x8d: stack.push(utf8.decode(take(u64()))); break; // BINUNICODE8
      case 0x43: stack.push(take(u8()).slice()); break; // SHORT_BINBYTES
      case 0x42: stack.push(take(u32()).slice()); break; // BINBYTES
      case 0x8e: stack.push(take(u64()).slice()); break; // BINBYTES8
      case 0x96: stack.push(take(u64()).slice()); break; // BYTEARRAY8
      case 0x29: stack.push(new PyTuple([])); break; // EMPTY_TUPLE
      case 0x74: stack.push(new PyTuple(popMark())); break; // TUPLE
      case 0x85: stack.push(new PyTuple([pop()])); break; // TUPLE1
      case 0x86: { const b = pop(); const a = pop(); stack.push(new PyTuple([a, b])); break; }
      case 0x87: { const c = pop(); const b = pop(); const a = pop(); stack.push(new PyTuple([a, b, c])); break; }
      case 0x5d: stack.push([]); break; // EMPTY_LIST
      case 0x6c: stack.push(popMark()); break; // LIST
      case 0x61: { const v = pop(); append(top(), [v]); break; } // APPEND
      case 0x65: { const items = popMark(); append(top(), items); break; } // APPENDS
      case 0x7d: stack.push(new Map()); break; // EMPTY_DICT
      case 0x64: { const m = new Map<PyKey, PyValue>(); setItems(m, popMark()); stack.push(m); break; } // DICT
      case 0x73: { const v = pop(); const k = pop(); setItems(top(), [k, v]); break; } // SETITEM
      case 0x75: { const kv = popMark(); setItems(top(), kv); break; } // SETITEMS
      case 0x63: { const module = line(); const name = line(); stack.push(new PyGlobal(module, name)); break; } // GLOBAL
      case 0x93: { const name = pop(); const module = pop(); if (typeof module !== 'string' || typeof name !== 'string') fail('STACK_GLOBAL needs two strings'); stack.push(new PyGlobal(module as string, name as string)); break; }
      case 0x52: { const args = pop(); const fn = pop(); stack.push(call(fn, args)); break; } // REDUCE
      case 0x81: { // NEWOBJ: cls.__new__(cls, *args)
        const args = pop();
        const cls = pop();
        if (!(cls instanceof PyGlobal) || !(args instanceof PyTuple)) fail('NEWOBJ needs a class and an argument tuple');
        stack.push(new PyObject(cls as PyGlobal, (args as PyTuple).items));
        break;
      }
      case 0x62: { // BUILD: obj.__setstate__(state)
        const state = pop();
        const obj = top();
        if (!(obj instanceof PyObject)) fail(`BUILD on a ${describe(obj)}`);
        (obj as PyObject).state = state;
        break;
      }
      case 0x70: memo.set(Number(line()), top()); break; // PUT
      case 0x71: memo.set(u8(), top()); break; // BINPUT
      case 0x72: memo.set(u32(), top()); break; // LONG_BINPUT
      case 0x94: memo.set(memo.size, top()); break; // MEMOIZE
      case 0x67: case 0x68: case 0x6a: { // GET, BINGET, LONG_BINGET
        const key = op === 0x67 ? Number(line()) : op === 0x68 ? u8() : u32();
        if (!memo.has(key)) fail(`memo key ${key} was never stored`);
        stack.push(memo.get(key)!);
        break;
      }
      default:
        fail(`unsupported or unknown opcode 0x${op.toString(16).padStart(2, '0')} ('${String.fromCharCode(op)}')`);
    }
  }
}

/** A short name of a value's Python-side type, for messages. */
export function describe(v: PyValue | undefined): string {
  if (v === null) return 'None';
  if (v === undefined) return 'nothing';
  if (typeof v === 'string') return 'str';
  if (typeof v === 'number' || typeof v === 'bigint') return 'int';
  if (typeof v === 'boolean') return 'bool';
  if (v instanceof Uint8Array) return 'bytes';
  if (Array.isArray(v)) return 'list';
  if (v instanceof PyTuple) return 'tuple';
  if (v instanceof Map) return 'dict';
  if (v instanceof PyGlobal) return `global ${v.fullName}`;
  return `${v.cls.fullName} object`;
}
