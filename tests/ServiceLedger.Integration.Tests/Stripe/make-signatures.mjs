// Signs and verifies webhook payloads with Stripe's own npm package (the devDependency `stripe`), so that the C#
// verifier is tested against headers Stripe's code makes, not against our own reading of the docs.
// Input (stdin, JSON):  { "sign":   [{ "name", "payload", "secrets": [..], "timestamp", "v0Secret"? }],
//                         "verify": [{ "name", "payload", "header", "secret", "receivedAt" }] }
// Output (stdout, JSON): { "signed": { name: header }, "verified": { name: "ok" | error message } }
// A header for several secrets has one v1 per secret, as Stripe sends while an endpoint secret is being rolled.
import Stripe from 'stripe';
import { readFileSync } from 'node:fs';

const stripe = new Stripe('sk_test_signatures_only'); // no network call is made by the webhooks helpers
const input = JSON.parse(readFileSync(0, 'utf8'));
const signed = {};
for (const c of input.sign ?? []) {
  const parts = [`t=${c.timestamp}`];
  for (const secret of c.secrets) {
    const header = stripe.webhooks.generateTestHeaderString({ payload: c.payload, secret, timestamp: c.timestamp });
    parts.push(...header.split(',').filter((p) => p.startsWith('v1=')));
  }
  if (c.v0Secret) {
    // Test mode adds a v0 signature; a verifier must ignore it, even when it is a valid HMAC.
    const header = stripe.webhooks.generateTestHeaderString({
      payload: c.payload, secret: c.v0Secret, timestamp: c.timestamp, scheme: 'v0',
    });
    parts.push(...header.split(',').filter((p) => p.startsWith('v0=')));
  }
  signed[c.name] = parts.join(',');
}

const verified = {};
for (const c of input.verify ?? []) {
  try {
    stripe.webhooks.constructEvent(c.payload, c.header, c.secret, 300, undefined, c.receivedAt * 1000);
    verified[c.name] = 'ok';
  } catch (e) {
    verified[c.name] = String(e.message);
  }
}

process.stdout.write(JSON.stringify({ signed, verified }));
