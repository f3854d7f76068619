// The container image and the compose file, proven without a container runtime: the files are
// read as Docker and Compose read them, and the app is started exactly as they describe (the
// image's ENTRYPOINT and CMD, its ENV under compose's environment with compose's defaults, as a
// non-root user where this machine allows), so neither file can drift from what the app reads.
// scripts/container-check.sh builds and runs the real image where podman exists.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { loadConfig } from '../src/config';
import {
  execForm,
  interpolate,
  isIgnored,
  lastOf,
  parseDockerfile,
  parseDockerignore,
  readCompose,
  ROOT,
  serviceEnv,
  stageEnv,
} from './helpers/container-files';
import { freePort, http, type ServerProcess } from './helpers/process';
import { createTestDatabase, STORES } from './helpers/stores';

const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
const dockerfile = parseDockerfile(read('Dockerfile'));
const runtime = dockerfile.stages.at(-1)!;
const build = dockerfile.stages[0];
const imageEnv = stageEnv(runtime);
const entrypoint = execForm(lastOf(runtime, 'ENTRYPOINT')?.args ?? '[]');
const cmd = execForm(lastOf(runtime, 'CMD')!.args);
const healthcheck = execForm(lastOf(runtime, 'HEALTHCHECK')!.args);
const PASSWORD = 'correct horse battery staple';

/** The variables of the README's configuration table, with the default it gives (`undefined` for none). */
function readmeSettings(): Map<string, string | undefined> {
  const section = read('README.md').split('## Configuration')[1].split('\n## ')[0];
  const settings = new Map<string, string | undefined>();
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    if (cells.length < 4 || !cells[1].startsWith('`')) continue;
    const fallback = /^`([^`]*)`$/.exec(cells[2])?.[1];
    for (const [, name] of cells[1].matchAll(/`([A-Z0-9_]+)`/g)) settings.set(name, fallback);
  }
  return settings;
}

/** Every variable src/config.ts reads. */
function configVariables(): Set<string> {
  const source = read('src/config.ts');
  return new Set([...source.matchAll(/env\.([A-Z0-9_]+)|env, '([A-Z0-9_]+)'/g)].map((m) => m[1] ?? m[2]));
}

const composeDefaults = readCompose({});
const services: Record<string, any> = composeDefaults.services;
// The app's services: those built from the Dockerfile, or run from the image they build.
const appImages = new Set(
  Object.values(services)
    .filter((s: any) => s.build !== undefined)
    .map((s: any) => s.image),
);
const isApp = (service: any) => service.build !== undefined || appImages.has(service.image);
const replicas = Object.entries(services).filter(([, service]) => isApp(service) && !service.profiles);

/** `nobody`, when this process is root and `nobody` can read the checkout (else the test runs as itself). */
function unprivileged(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const entry = fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((line) => line.startsWith('nobody:'));
  if (!entry) return undefined;
  const [, , uid, gid] = entry.split(':').map(Number);
  const probe = spawnSync(
    process.execPath,
    ['-e', "for (const f of ['src/server.ts', 'node_modules/tsx/package.json']) require('fs').accessSync(f, 4)"],
    { cwd: ROOT, uid, gid },
  );
  return probe.status === 0 ? { uid, gid } : undefined;
}
const asUser = unprivileged();

/**
 * A command of the image, with its `node` this Node: behind the ENTRYPOINT (tini) when this
 * machine has it, for the container's command; a HEALTHCHECK runs on its own, as Docker runs it.
 */
function command(args: string[], withEntrypoint: boolean): string[] {
  const [program, ...rest] = args;
  const resolved = [program === 'node' ? process.execPath : program, ...rest];
  const init = withEntrypoint && entrypoint.length && fs.existsSync(entrypoint[0]) ? entrypoint : [];
  return [...init, ...resolved];
}

/**
 * Starts the app as a container would: the image's ENTRYPOINT and CMD in its WORKDIR (the
 * checkout), with only the image's ENV and the given environment (plus PATH and the tests' TZ).
 */
function startContainerProcess(args: string[], env: Record<string, string>, withEntrypoint = true): ServerProcess {
  const [program, ...rest] = command(args, withEntrypoint);
  const child = spawn(program, rest, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TZ: process.env.TZ ?? 'UTC', ...imageEnv, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(asUser ?? {}),
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const port = Number(env.PORT ?? imageEnv.PORT);
  return { child, port, base: `http://127.0.0.1:${port}`, output: () => out, exited };
}

/** Runs a one-shot command of the image to its end: its exit code and output. */
async function runOnce(
  args: string[],
  env: Record<string, string>,
  withEntrypoint = true,
): Promise<{ code: number | null; output: string }> {
  const proc = startContainerProcess(args, env, withEntrypoint);
  const deadline = setTimeout(() => proc.child.kill('SIGKILL'), 240_000);
  try {
    return { code: await proc.exited, output: proc.output() };
  } finally {
    clearTimeout(deadline);
  }
}

/**
 * Waits until the server answers /readyz as ours does (or exits). A generous limit: the image's
 * own start period is 60 s, and on these shared 2-CPU machines a cold start (tsx compiling the
 * source, PGlite's WebAssembly) has taken longer than that under load.
 */
async function waitReady(proc: ServerProcess): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline && proc.child.exitCode === null && proc.child.signalCode === null) {
    try {
      const res = await fetch(`${proc.base}/readyz`);
      if (res.ok && res.headers.get('x-request-id') && ((await res.json()) as { status?: string }).status === 'ready')
        return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`not ready (${proc.child.exitCode === null ? 'still starting' : 'exited'}): ${proc.output()}`);
}

/** The image's HEALTHCHECK against a server started with this environment. */
const health = (env: Record<string, string>) => runOnce(healthcheck, env, false);

/** The process started (tini, or node itself) and the Node server under it run as the chosen user. */
function assertUnprivileged(proc: ServerProcess): void {
  if (!asUser) return;
  const uidOf = (pid: number) => Number(/^Uid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  const pids = [proc.child.pid!];
  const children = `/proc/${proc.child.pid}/task/${proc.child.pid}/children`;
  if (fs.existsSync(children)) pids.push(...fs.readFileSync(children, 'utf8').split(' ').filter(Boolean).map(Number));
  for (const pid of pids) assert.equal(uidOf(pid), asUser.uid, `pid ${pid} runs as uid ${asUser.uid}`);
}

async function stop(proc: ServerProcess): Promise<number | null> {
  if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGTERM');
  return proc.exited;
}

describe('the container image and compose file', { timeout: 600_000 }, () => {
  before(() => {
    // Said in the test output, so a run shows which of these it could do.
    console.log(
      asUser
        ? `# the app runs as nobody (uid ${asUser.uid})`
        : '# the app runs as this user: not root, or nobody cannot read the checkout',
    );
    console.log(
      fs.existsSync(entrypoint[0] ?? '')
        ? `# the CMD runs under the ENTRYPOINT (${entrypoint.join(' ')})`
        : `# ${entrypoint[0]} is not on this machine: the CMD runs without it`,
    );
  });

  it('the Dockerfile: multi-stage on Node 20 slim, production dependencies, non-root, /data volume, health, init', () => {
    assert.ok(dockerfile.stages.length >= 2, 'a build stage and a runtime stage');
    for (const stage of dockerfile.stages) assert.match(stage.from, /^(localhost\/)?node:20\.\d+(-bookworm)?-slim$/);
    const runs = (stage: typeof build) =>
      stage.instructions.filter((ins) => ins.keyword === 'RUN').map((ins) => ins.args);
    assert.ok(
      runs(build).some((r) => /npm ci\b/.test(r) && !/--omit=dev/.test(r)),
      'the build installs everything',
    );
    assert.ok(
      runs(build).some((r) => r.includes('npm run build --if-present')),
      'and runs the build',
    );
    assert.ok(
      runs(runtime).some((r) => /npm ci --omit=dev\b/.test(r)),
      'the runtime has production deps only',
    );
    assert.deepEqual(cmd, ['node', '--import', 'tsx', 'src/server.ts'], 'plain node, no npm lifecycle');
    const pkg = JSON.parse(read('package.json'));
    assert.ok(pkg.dependencies.tsx, 'tsx is a runtime dependency (the CMD needs it after --omit=dev)');
    assert.equal(pkg.scripts.start, cmd.join(' '), 'npm start runs what the image runs');
    const user = lastOf(runtime, 'USER')?.args;
    assert.ok(user && !/^(root|0)(:|$)/.test(user), `runs as a non-root user, not ${user}`);
    assert.equal(imageEnv.DATA_DIR, '/data');
    assert.match(lastOf(runtime, 'VOLUME')!.args, /"\/data"|^\/data$/);
    assert.equal(imageEnv.PORT, '3000');
    assert.equal(imageEnv.HOST, '0.0.0.0', 'reachable from outside the container');
    assert.ok(!('PUBLIC_URL' in imageEnv), 'PUBLIC_URL comes from the environment it runs in');
    assert.match(lastOf(runtime, 'EXPOSE')!.args, /^3000$/);
    assert.equal(healthcheck[0], 'node', 'the slim image has no curl');
    assert.ok(fs.existsSync(path.join(ROOT, healthcheck[1])), `${healthcheck[1]} exists`);
    assert.match(entrypoint.join(' '), /tini --$/, 'tini is PID 1: it forwards SIGTERM and reaps');
    // Everything the Dockerfile copies from the context exists in the checkout.
    const copied = runtime.instructions
      .concat(build.instructions)
      .filter((ins) => ins.keyword === 'COPY' && !ins.args.startsWith('--from'))
      .flatMap((ins) => ins.args.split(' ').slice(0, -1));
    assert.ok(copied.length > 0);
    for (const source of copied) if (source !== '.') assert.ok(fs.existsSync(path.join(ROOT, source)), source);
  });

  it('.dockerignore keeps the local database, installed modules, history and secrets out of the build context', () => {
    const rules = parseDockerignore(read('.dockerignore'));
    for (const file of [
      'data/pglite/PG_VERSION',
      'data/LOCK',
      'node_modules/fastify/package.json',
      'scripts/node_modules/x/index.js',
      '.git/HEAD',
      '.git/objects/ab/cdef',
      '.env',
      'dist/app.js',
      'npm-debug.log',
    ])
      assert.ok(isIgnored(rules, file), `${file} stays out`);
    // What the build needs is sent: every tracked file of src/ and scripts/, and the package files.
    const tracked = spawnSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
      cwd: ROOT,
      encoding: 'utf8',
    }).stdout.split('\n');
    const needed = tracked.filter((f) => /^(src|scripts)\//.test(f) || /^(package(-lock)?|tsconfig)\.json$/.test(f));
    assert.ok(needed.includes('src/server.ts') && needed.includes('package-lock.json'));
    for (const file of needed) assert.ok(!isIgnored(rules, file), `${file} is in the context`);
  });

  it('the .dockerignore matcher and the interpolation behave as Docker and Compose do', () => {
    const rules = parseDockerignore('**/node_modules\ndata\n*.md\n!README.md\n/dist/\n');
    assert.ok(isIgnored(rules, 'node_modules/a'));
    assert.ok(isIgnored(rules, 'a/b/node_modules/c'));
    assert.ok(isIgnored(rules, 'data/x'));
    assert.ok(!isIgnored(rules, 'src/data/x'), 'a pattern without ** matches from the root only');
    assert.ok(isIgnored(rules, 'NOTES.md'));
    assert.ok(!isIgnored(rules, 'README.md'), 'a later ! brings a file back');
    assert.ok(!isIgnored(rules, 'docs/NOTES.md'), '* does not cross directories');
    assert.ok(isIgnored(rules, 'dist/app.js'));
    const env = { SET: 'v', EMPTY: '' };
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Compose's syntax, not a template
    assert.equal(interpolate('${SET:-d}|${EMPTY:-d}|${EMPTY-d}|${NONE-d}|${NONE}|$SET|$$SET', env), 'v|d||d||v|$SET');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Compose's syntax, not a template
    assert.equal(interpolate('${NONE:-a${SET}b}|${NONE:-${ALSO:-x}}|${SET:+y}|${EMPTY:+y}', env), 'avb|x|y|');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Compose's syntax, not a template
    assert.throws(() => interpolate('${NONE:?is required}', env), /NONE: is required/);
  });

  it('compose.yaml: PostgreSQL 15 with a volume and a health check, two replicas waiting for it, a demo on request', () => {
    const db = Object.entries(services).find(([, s]) => /^postgres:15\b/.test(s.image ?? ''));
    assert.ok(db, 'a postgres:15 service');
    const [dbName, dbService] = db;
    const volume = dbService.volumes
      .map((v: string) => v.split(':'))
      .find(([, target]: string[]) => target === '/var/lib/postgresql/data');
    assert.ok(volume && volume[0] in (composeDefaults.volumes ?? {}), 'the data directory is a named volume');
    assert.match(JSON.stringify(dbService.healthcheck.test), /pg_isready/);

    assert.equal(replicas.length, 2, 'two app replicas');
    const hostPorts = new Set<string>();
    for (const [name, service] of replicas) {
      assert.deepEqual(service.depends_on, { [dbName]: { condition: 'service_healthy' } }, name);
      const env = serviceEnv(service);
      assert.equal(new URL(env.DATABASE_URL).hostname, dbName, `${name} talks to the ${dbName} service`);
      const url = new URL(env.DATABASE_URL);
      assert.equal(decodeURIComponent(url.username), dbService.environment.POSTGRES_USER);
      assert.equal(decodeURIComponent(url.password), dbService.environment.POSTGRES_PASSWORD);
      assert.equal(url.pathname.slice(1), dbService.environment.POSTGRES_DB);
      assert.equal(service.ports.length, 1);
      const [hostPort, containerPort] = service.ports[0].split(':');
      assert.equal(containerPort, env.PORT, `${name} publishes the port it listens on`);
      hostPorts.add(hostPort);
      assert.doesNotThrow(() => loadConfig(env), `${name}'s defaults are a valid configuration`);
    }
    assert.equal(hostPorts.size, 2, 'the replicas are published on different host ports');

    const demo = services.demo;
    assert.deepEqual(demo.profiles, ['demo'], 'the demo starts only when asked');
    assert.deepEqual(demo.command, ['node', '--import', 'tsx', 'scripts/demo-data.ts']);
    assert.ok(fs.existsSync(path.join(ROOT, demo.command[3])));
    assert.notEqual(demo.restart, 'always');
    assert.deepEqual(serviceEnv(demo), serviceEnv(replicas[0][1]), 'the demo sees the replicas’ database');
    assert.deepEqual(demo.depends_on, replicas[0][1].depends_on);

    // A value set in the environment (or .env) reaches every replica.
    const custom = readCompose({
      SMTP_URL: 'smtp://mail:25',
      PUBLIC_URL: 'https://book.example.com',
      APP2_PORT: '8081',
    });
    for (const [name] of replicas) {
      assert.equal(serviceEnv(custom.services[name]).SMTP_URL, 'smtp://mail:25');
      assert.equal(serviceEnv(custom.services[name]).PUBLIC_URL, 'https://book.example.com');
    }
    assert.ok(Object.values(custom.services).some((s: any) => s.ports?.[0]?.startsWith('8081:')));
  });

  it('compose.yaml passes every setting through, with the default the README gives', () => {
    const settings = readmeSettings();
    assert.ok(settings.size >= 20, `the README's table was read (${settings.size} settings)`);
    for (const variable of configVariables()) assert.ok(settings.has(variable), `the README lists ${variable}`);
    for (const [name, service] of [...replicas, ['demo', services.demo] as const]) {
      const env = serviceEnv(service);
      for (const [variable, readmeDefault] of settings) {
        assert.ok(variable in env, `${name} passes ${variable} through`);
        // The variable itself reaches the container: setting it changes what the app sees.
        const set = serviceEnv(readCompose({ [variable]: 'from-the-environment' }).services[name]);
        assert.equal(set[variable], 'from-the-environment', `${name}: ${variable} is taken from the environment`);
        if (variable === 'DATABASE_URL') continue; // the compose file's own database
        if (variable === 'DATA_DIR') assert.equal(env[variable], imageEnv.DATA_DIR, 'the image volume');
        else if (readmeDefault === undefined || readmeDefault.includes('{'))
          assert.equal(env[variable], '', `${name}: ${variable} left to the app's own default`);
        else assert.equal(env[variable], readmeDefault.replace('$PORT', env.PORT), `${name}: ${variable}'s default`);
      }
    }
  });

  it('the image run as one container on its volume (`docker run -v slotwise:/data`): healthy, serves, drains on SIGTERM', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'slotwise-volume-'));
    if (asUser) fs.chownSync(dataDir, asUser.uid, asUser.gid);
    // The image's ENV alone; the volume at a directory of this machine, loopback on a free port.
    const env = { DATA_DIR: dataDir, PORT: String(await freePort()), HOST: '127.0.0.1' };
    const server = startContainerProcess(cmd, env);
    try {
      await waitReady(server);
      assertUnprivileged(server);
      const checked = await health(env);
      assert.equal(checked.code, 0, checked.output);
      const signup = await http(server.base, 'POST', '/api/v1/auth/signup', {
        username: 'volume',
        email: 'volume@example.com',
        password: PASSWORD,
      });
      assert.equal(signup.status, 201);
      assert.equal(await stop(server), 0, `SIGTERM exits 0: ${server.output()}`);
      assert.ok(fs.readdirSync(dataDir).length > 0, 'the store is in the volume');
      assert.notEqual((await health(env)).code, 0, 'the health check fails once it is down');
    } finally {
      server.child.kill('SIGKILL');
      await server.exited;
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('the two compose replicas, started at once on one PostgreSQL: ready, one booking seen by both, demo data, SIGTERM exits 0', {
    skip: !STORES.includes('postgres'),
  }, async () => {
    const database = await createTestDatabase();
    const running: ServerProcess[] = [];
    try {
      // Compose's own environment for each replica (its defaults), with the database host
      // replaced by 127.0.0.1 and a fresh test database, and a free loopback port each.
      const testUrl = new URL(database.url);
      const environment = (service: any) => {
        const env = serviceEnv(service);
        const url = new URL(env.DATABASE_URL);
        url.hostname = '127.0.0.1';
        url.port = testUrl.port;
        url.username = testUrl.username;
        url.pathname = testUrl.pathname;
        return { ...env, DATABASE_URL: url.toString(), HOST: '127.0.0.1' };
      };
      const envs = await Promise.all(
        replicas.map(async ([, service]) => ({ ...environment(service), PORT: String(await freePort()) })),
      );
      for (const env of envs) running.push(startContainerProcess(cmd, env));
      await Promise.all(running.map((proc) => waitReady(proc)));
      for (const proc of running) assertUnprivileged(proc);
      const [a, b] = running;
      for (const env of envs) {
        const checked = await health(env);
        assert.equal(checked.code, 0, `the image HEALTHCHECK passes: ${checked.output}`);
      }

      // A host signs up and publishes a link on one replica; an invitee books on the other.
      const host = await http(a.base, 'POST', '/api/v1/auth/signup', {
        username: 'boxhost',
        email: 'boxhost@example.com',
        password: PASSWORD,
        timezone: 'Europe/Berlin',
      });
      assert.equal(host.status, 201);
      const et = await http(
        a.base,
        'POST',
        '/api/v1/event-types',
        { slug: 'chat', title: 'Chat', duration: 30 },
        host.body.token,
      );
      assert.equal(et.status, 201);
      const from = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
      const to = new Date(Date.now() + 12 * 86_400_000).toISOString().slice(0, 10);
      const slots = await http(b.base, 'GET', `/api/v1/public/boxhost/chat/slots?from=${from}&to=${to}&timezone=UTC`);
      assert.equal(slots.status, 200);
      const start = slots.body.slots[0].start;
      const booking = await http(b.base, 'POST', '/api/v1/public/boxhost/chat/bookings', {
        start,
        invitee: { name: 'Ivy', email: 'ivy@example.com', timezone: 'UTC' },
      });
      assert.equal(booking.status, 201, JSON.stringify(booking.body));
      const listed = await http(a.base, 'GET', '/api/v1/bookings', undefined, host.body.token);
      assert.deepEqual(
        listed.body.data.map((x: any) => x.id),
        [booking.body.id],
        'the booking made through one replica is seen through the other',
      );
      const again = await http(a.base, 'POST', '/api/v1/public/boxhost/chat/bookings', {
        start,
        invitee: { name: 'Ian', email: 'ian@example.com', timezone: 'UTC' },
      });
      assert.equal(again.status, 409, 'and its time is taken there too');

      // `docker compose run --rm demo`: the demo service's command and environment, while the replicas run.
      const demo = await runOnce(services.demo.command, environment(services.demo));
      assert.equal(demo.code, 0, demo.output);
      assert.match(demo.output, /Demo users/);
      for (const proc of running) assert.equal((await http(proc.base, 'GET', '/api/v1/public/ada/intro')).status, 200);

      const codes = await Promise.all(running.map(stop));
      assert.deepEqual(codes, [0, 0], `SIGTERM drains and exits 0: ${running.map((p) => p.output()).join('\n')}`);
      assert.notEqual((await health(envs[0])).code, 0, 'the health check fails once it is down');
    } finally {
      for (const proc of running) proc.child.kill('SIGKILL');
      await Promise.all(running.map((proc) => proc.exited));
      await database.drop();
    }
  });
});
