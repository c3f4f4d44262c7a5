// The test command (README "Quick start", second line; .ci/run calls exactly this): installs the npm dependencies
// (Azurite), then builds and runs every test project. The integration and API tests start and stop their own Azurite
// on free loopback ports, and fail loudly if it cannot start.
import { spawn } from 'node:child_process';
import { ensureNpmDependencies, log, repoRoot } from './lib.mjs';

const SUMMARY = /(?:Passed|Failed)!\s+-\s+Failed:\s+(\d+),\s+Passed:\s+(\d+),\s+Skipped:\s+(\d+),\s+Total:\s+(\d+)/;

ensureNpmDependencies();
const started = Date.now();
const extraArgs = process.argv.slice(2);
const dotnet = spawn('dotnet', ['test', 'Serverless.sln', '--configuration', 'Release', ...extraArgs], {
  cwd: repoRoot,
  stdio: ['ignore', 'pipe', 'inherit'],
});

let passed = 0; let failed = 0; let skipped = 0; let assemblies = 0;
let pending = '';
dotnet.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  pending += chunk.toString();
  const lines = pending.split('\n');
  pending = lines.pop();
  for (const line of lines) count(line);
});

function count(line) {
  const match = SUMMARY.exec(line);
  if (!match) return;
  assemblies += 1;
  failed += Number(match[1]);
  passed += Number(match[2]);
  skipped += Number(match[3]);
}

dotnet.on('exit', (code) => {
  count(pending);
  const seconds = Math.round((Date.now() - started) / 1000);
  log(`${assemblies} test assemblies in ${seconds} s`);
  process.stdout.write(`Tests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  if (code === 0 && passed === 0) {
    log('no test ran: that is a failure, not a pass');
    process.exit(1);
  }
  process.exit(code ?? 1);
});
