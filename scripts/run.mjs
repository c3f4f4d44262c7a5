// The run command (README "Quick start", first line): installs what it needs, starts Azurite on loopback, starts the
// app against it (the app creates its tables and queues), prints the base URL and a ready-to-paste request, and runs
// until Ctrl+C or SIGTERM, stopping everything it started. The app seeds the demo data set (Local:SeedDemo; idempotent) and
// prints its ids with requests to paste; `npm start -- --no-demo` leaves it out.
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import { ensureNpmDependencies, freePort, log, repoRoot, start, waitForPort } from './lib.mjs';

const AZURITE_START_TIMEOUT_MS = 60_000;
const APP_START_TIMEOUT_MS = 300_000; // includes the first `dotnet build` on a fresh clone
const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

const children = [];
let stopping = false;

function stopAll(code) {
  if (stopping) return;
  stopping = true;
  log('stopping');
  for (const child of children.reverse()) child.stopGroup();
  process.exitCode = code;
}

process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

async function main() {
  ensureNpmDependencies();

  const [blobPort, queuePort, tablePort, appPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const dataDir = path.join(repoRoot, '.azurite');
  mkdirSync(dataDir, { recursive: true });

  log(`starting Azurite (table ${tablePort}, queue ${queuePort}) with data in .azurite/`);
  const azurite = start(process.execPath, [
    path.join(repoRoot, 'node_modules', 'azurite', 'dist', 'src', 'azurite.js'),
    '--silent', '--disableTelemetry', '--skipApiVersionCheck', '--location', dataDir,
    '--blobHost', '127.0.0.1', '--blobPort', String(blobPort),
    '--queueHost', '127.0.0.1', '--queuePort', String(queuePort),
    '--tableHost', '127.0.0.1', '--tablePort', String(tablePort),
  ], { stdio: ['ignore', 'inherit', 'inherit'] });
  children.push(azurite);
  azurite.on('exit', (code) => { if (!stopping) { log(`Azurite exited (${code})`); stopAll(1); } });
  await Promise.all([
    waitForPort(tablePort, AZURITE_START_TIMEOUT_MS, 'Azurite tables'),
    waitForPort(queuePort, AZURITE_START_TIMEOUT_MS, 'Azurite queues'),
  ]);

  const connectionString = 'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;'
    + `AccountKey=${AZURITE_KEY};`
    + `BlobEndpoint=http://127.0.0.1:${blobPort}/devstoreaccount1;`
    + `QueueEndpoint=http://127.0.0.1:${queuePort}/devstoreaccount1;`
    + `TableEndpoint=http://127.0.0.1:${tablePort}/devstoreaccount1;`;

  log('building and starting the app (the first build on a fresh clone takes a minute)');
  const app = start('dotnet', ['run', '--project', 'functions', '--configuration', 'Release', '--no-launch-profile'], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      ASPNETCORE_ENVIRONMENT: 'Development',
      DOTNET_ENVIRONMENT: 'Development',
      Local__Port: String(appPort),
      Local__ProvisionStorage: 'true',
      Local__TriggerPump: 'true',
      Local__SeedDemo: process.argv.includes('--no-demo') ? 'false' : 'true',
      Storage__ConnectionString: connectionString,
    },
  });
  children.push(app);
  app.on('exit', (code) => { if (!stopping) { log(`the app exited (${code})`); stopAll(1); } });

  const baseUrl = `http://127.0.0.1:${appPort}`;
  await waitForHealth(`${baseUrl}/api/health`, APP_START_TIMEOUT_MS);
  if (stopping) return;
  process.stdout.write([
    '',
    `Service ledger is running at ${baseUrl}`,
    '',
    'Try it:',
    `  curl -s ${baseUrl}/api/health`,
    ...(process.argv.includes('--no-demo') ? [] : ['  (and the "Demo data" requests the app printed above: last month\'s statement, its PDF, the commission statement)']),
    '',
    `OpenAPI: ${baseUrl}/api/openapi.json     Stop: Ctrl+C`,
    '',
  ].join('\n'));
}

async function waitForHealth(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (!stopping && Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 250));
  }
  if (!stopping) throw new Error(`the app did not answer ${url} within ${timeoutMs / 1000} s`);
}

main().catch((error) => {
  log(error.message);
  stopAll(1);
});
