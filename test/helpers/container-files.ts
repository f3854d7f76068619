// Reads the container files as the tools that use them do, so tests can run what they describe:
// the Dockerfile's stages and instructions, compose.yaml with Compose's variable interpolation,
// and .dockerignore with Docker's matching of the build context.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface Instruction {
  keyword: string;
  /** The text after the keyword, continuation lines joined. */
  args: string;
}

export interface Stage {
  from: string;
  name?: string;
  instructions: Instruction[];
}

export interface Dockerfile {
  /** ARGs declared before the first FROM, with their defaults. */
  args: Record<string, string>;
  stages: Stage[];
}

/** Splits a Dockerfile into instructions (comments dropped, `\` continuations joined) and stages. */
export function parseDockerfile(text: string): Dockerfile {
  const instructions: Instruction[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#') || (line === '' && pending === '')) continue;
    const continued = line.endsWith('\\');
    pending += `${continued ? line.slice(0, -1) : line} `;
    if (continued) continue;
    const match = /^(\S+)\s*(.*)$/s.exec(pending.trim());
    if (match) instructions.push({ keyword: match[1].toUpperCase(), args: match[2].replace(/\s+/g, ' ').trim() });
    pending = '';
  }
  const result: Dockerfile = { args: {}, stages: [] };
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const [image, as, name] = ins.args.split(' ');
      const from = image.replace(/\$\{(\w+)\}|\$(\w+)/g, (_m, a, b) => result.args[a ?? b] ?? '');
      result.stages.push({ from, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else if (result.stages.length) {
      result.stages.at(-1)!.instructions.push(ins);
    } else if (ins.keyword === 'ARG') {
      const [name, ...value] = ins.args.split('=');
      result.args[name] = value.join('=');
    }
  }
  return result;
}

/** The exec (JSON array) form of CMD, ENTRYPOINT or a HEALTHCHECK's CMD; the shell form is refused. */
export function execForm(args: string): string[] {
  const json = args.replace(/^(--\S+\s+)*CMD\s+/, '');
  const parsed = JSON.parse(json) as unknown;
  if (!Array.isArray(parsed) || !parsed.every((part) => typeof part === 'string'))
    throw new Error(`not an exec form: ${args}`);
  return parsed;
}

/** A stage's environment: its ENV instructions in order (`K=V ...`, or the old `K V`). */
export function stageEnv(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { keyword, args } of stage.instructions) {
    if (keyword !== 'ENV') continue;
    if (!/^\w+=/.test(args)) {
      const [name, ...rest] = args.split(' ');
      env[name] = rest.join(' ');
      continue;
    }
    for (const match of args.matchAll(/(\w+)=("(?:[^"\\]|\\.)*"|\S*)/g))
      env[match[1]] = match[2].startsWith('"') ? JSON.parse(match[2]) : match[2];
  }
  return env;
}

export function lastOf(stage: Stage, keyword: string): Instruction | undefined {
  return stage.instructions.filter((ins) => ins.keyword === keyword).at(-1);
}

/**
 * Compose's interpolation of one string: `$VAR`, `${VAR}`, `${VAR:-default}` (unset or empty),
 * `${VAR-default}` (unset), `${VAR:?message}`, `${VAR?message}`, `${VAR:+alt}`, `${VAR+alt}`,
 * operands themselves interpolated (nesting), and `$$` for a literal `$`.
 */
export function interpolate(text: string, env: Record<string, string | undefined>): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    if (text[i + 1] === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (text[i + 1] === '{') {
      let depth = 1;
      let j = i + 2;
      while (j < text.length && depth > 0) {
        if (text[j] === '{') depth++;
        else if (text[j] === '}') depth--;
        j++;
      }
      if (depth !== 0) throw new Error(`unclosed \${ in ${text}`);
      out += substitute(text.slice(i + 2, j - 1), env);
      i = j;
      continue;
    }
    const name = /^[A-Za-z_]\w*/.exec(text.slice(i + 1))?.[0];
    if (name) {
      out += env[name] ?? '';
      i += 1 + name.length;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

function substitute(expression: string, env: Record<string, string | undefined>): string {
  const match = /^([A-Za-z_]\w*)(?:(:?)([-?+])(.*))?$/s.exec(expression);
  if (!match) throw new Error(`invalid interpolation: \${${expression}}`);
  const [, name, colon, operator, operand = ''] = match;
  const value = env[name];
  const unset = colon ? value === undefined || value === '' : value === undefined;
  if (operator === '-') return unset ? interpolate(operand, env) : value!;
  if (operator === '+') return unset ? '' : interpolate(operand, env);
  if (operator === '?' && unset) throw new Error(`${name}: ${interpolate(operand, env)}`);
  return value ?? '';
}

/** Interpolates every string of a parsed document (Compose does not interpolate keys). */
export function interpolateAll<T>(value: T, env: Record<string, string | undefined>): T {
  if (typeof value === 'string') return interpolate(value, env) as T;
  if (Array.isArray(value)) return value.map((item) => interpolateAll(item, env)) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateAll(v, env)])) as T;
  return value;
}

/** compose.yaml as Compose reads it: YAML merge keys (`<<: *app`) resolved, then interpolated. */
export function readCompose(env: Record<string, string | undefined> = {}): any {
  const text = fs.readFileSync(path.join(ROOT, 'compose.yaml'), 'utf8');
  return interpolateAll(YAML.parse(text, { merge: true }), env);
}

/** A service's `environment`, in either of Compose's forms (a map, or a list of `K=V`). */
export function serviceEnv(service: any): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env))
    return Object.fromEntries(
      env.map((entry: string) => [entry.split('=')[0], entry.includes('=') ? entry.slice(entry.indexOf('=') + 1) : '']),
    );
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

/** One .dockerignore rule as Docker applies it: a path pattern relative to the context, maybe negated. */
interface IgnoreRule {
  negated: boolean;
  regex: RegExp;
}

function globToRegex(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*' && pattern[i + 1] === '*') {
      // `**` matches any number of directories, zero included.
      if (pattern[i + 2] === '/') {
        source += '(?:.*/)?';
        i += 2;
      } else {
        source += '.*';
        i += 1;
      }
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i);
      source += end > i ? pattern.slice(i, end + 1).replace('[!', '[^') : '\\[';
      i = Math.max(end, i);
    } else if (c === '\\' && i + 1 < pattern.length) source += `\\${pattern[++i]}`;
    else source += c.replace(/[.+^${}()|/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** Docker's .dockerignore: one pattern a line, `#` comments, `!` re-includes, the last match wins. */
export function parseDockerignore(text: string): IgnoreRule[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const negated = line.startsWith('!');
      // Docker cleans each pattern (filepath.Clean) and strips a leading slash.
      const cleaned = path.posix.normalize((negated ? line.slice(1) : line).trim()).replace(/^\/+|\/+$/g, '');
      return { negated, regex: globToRegex(cleaned) };
    });
}

/**
 * Whether a path of the context (relative, with `/`) is left out of the build: a pattern that
 * matches a directory leaves out everything in it, as Docker does.
 */
export function isIgnored(rules: IgnoreRule[], file: string): boolean {
  const parts = file.split('/');
  let ignored = false;
  for (const rule of rules) {
    for (let n = 1; n <= parts.length; n++) {
      if (rule.regex.test(parts.slice(0, n).join('/'))) {
        ignored = !rule.negated;
        break;
      }
    }
  }
  return ignored;
}
