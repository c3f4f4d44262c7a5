// Shared by the run and test commands: install the repo's own npm dependencies, find free loopback ports,
// start processes that die with us. Node is used (not bash) so the commands behave the same everywhere.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Runs `npm ci` when node_modules does not match package-lock.json (a fresh clone, or a changed lock). */
export function ensureNpmDependencies() {
  const installedLock = path.join(repoRoot, 'node_modules', '.package-lock.json');
  const lock = JSON.parse(readFileSync(path.join(repoRoot, 'package-lock.json'), 'utf8'));
  // Every devDependency (Azurite for storage, stripe for the webhook signature tests) at its locked version.
  const names = Object.keys(lock.packages[''].devDependencies ?? {});
  const stale = names.filter((name) => {
    const installed = path.join(repoRoot, 'node_modules', name, 'package.json');
    return !existsSync(installed)
      || JSON.parse(readFileSync(installed, 'utf8')).version !== lock.packages[`node_modules/${name}`].version;
  });
  if (existsSync(installedLock) && stale.length === 0) {
    return;
  }
  log(`installing npm dependencies (${names.map((n) => `${n} ${lock.packages[`node_modules/${n}`].version}`).join(', ')}) with npm ci`);
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: repoRoot, stdio: 'inherit',
  });
  if (result.status !== 0) {
    throw new Error(`npm ci failed with exit code ${result.status}`);
  }
}

/** A TCP port on 127.0.0.1 that nothing listens on right now (the OS picks it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once a TCP connection to 127.0.0.1:port succeeds; rejects after timeoutMs. */
export async function waitForPort(port, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await canConnect(port)) {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not listen on 127.0.0.1:${port} within ${timeoutMs / 1000} s`);
}

function canConnect(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

/** Starts a child process in its own process group so that stopping it stops its children too. */
export function start(command, args, options) {
  const child = spawn(command, args, { cwd: repoRoot, detached: true, ...options });
  child.stopGroup = () => {
    if (child.exitCode === null && child.signalCode === null) {
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
    }
  };
  return child;
}

export function log(message) {
  process.stderr.write(`[service-ledger] ${message}\n`);
}
