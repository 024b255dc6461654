// A webhook receiver for .ci/webhooks: verifies every call it gets with the official Standard Webhooks
// library (standardwebhooks on npm), as a customer of the service would.
//
//   node .ci/webhook-receiver.mjs LIB_DIR PORT_FILE
//
// LIB_DIR holds node_modules/standardwebhooks; the port it listens on (127.0.0.1, chosen by the system)
// is written to PORT_FILE. Control calls, made by .ci/webhooks:
//   PUT  /_control/expect  {"secrets": [{"secret": "whsec_...", "until": "<ISO time>"}, ...],
//                           "retired": ["whsec_...", ...], "fail_first": n}
//        every later call must verify with each secret on its own, one signature each in
//        webhook-signature and no other; a secret with "until" (the one a rotation replaced) only for
//        calls signed before that second (webhook-timestamp), either way in that very second, and
//        never after it. No call may verify with a retired secret, nor with one made up here. The
//        first call of the first n webhook-ids from then on is answered 503, to have them retried.
//   GET  /_control/stats   counts so far, and the first failures
// Any other POST is a webhook call: verified, answered 204 (or 503 as above), or 400 when it fails.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [libDir, portFile] = process.argv.slice(2);
if (!libDir || !portFile) {
  console.error('usage: node webhook-receiver.mjs LIB_DIR PORT_FILE');
  process.exit(2);
}
const { Webhook } = createRequire(join(libDir, 'noop.js'))('standardwebhooks');

// a secret nobody has: every call must fail with it, or the check proves nothing
const stranger = new Webhook('whsec_' + randomBytes(24).toString('base64'));

let expected = { secrets: [], retired: [], failFirst: 0 };
const stats = {
  calls: 0, // every webhook call received
  verified: 0, // calls that verified with every expected secret (and no other)
  failed: 0, // calls that did not
  answered_503: 0, // verified calls refused on purpose, to be retried
  retried_ids_verified: 0, // webhook-ids verified again after a refused first call
  ids: 0, // distinct webhook-ids verified and answered 2xx
  signatures: {}, // how many signatures the verified calls carried: {"1": n, "2": n}
  failures: [], // the first 20 failures, why
};
const seen = new Set(); // verified webhook-ids
const refused = new Set(); // webhook-ids whose first call was answered 503
const retriedVerified = new Set();
const refusedAt = new Map(); // webhook-id -> webhook-timestamp of its refused call
const idOfPair = new Map(); // "enrollment id step id" -> webhook-id
const pairOfId = new Map(); // webhook-id -> "enrollment id step id"

function fail(reason, res) {
  stats.failed++;
  if (stats.failures.length < 20) stats.failures.push(reason);
  res.writeHead(400, { 'content-type': 'text/plain' }).end(reason);
}

function verify(body, headers) {
  if (expected.secrets.length === 0) return 'no secret expected yet';
  const signed = Number.parseInt(String(headers['webhook-timestamp'] ?? ''), 10);
  const signatures = String(headers['webhook-signature'] ?? '').split(' ').filter((s) => s);
  let required = 0;
  let optional = 0;
  for (const { verifier, until, label } of expected.secrets) {
    const need = until === undefined || signed < until ? 'yes' : signed === until ? 'maybe' : 'no';
    let ok = true;
    let why = '';
    try {
      verifier.verify(body, headers);
    } catch (e) {
      ok = false;
      why = e.message;
    }
    if (need === 'yes' && !ok) return `${label}: ${why}`;
    if (need === 'no' && ok) return `${label} still signs after its grace`;
    if (need === 'yes') required++;
    if (need === 'maybe' && ok) optional++;
  }
  if (signatures.length !== required + optional) {
    return `expected ${required + optional} signature(s), got ${signatures.length}`;
  }
  for (const { verifier, label } of [...expected.retired, { verifier: stranger, label: 'an unrelated secret' }]) {
    try {
      verifier.verify(body, headers);
      return `verified with ${label}`;
    } catch {
      // as it should
    }
  }
  let payload;
  try {
    payload = JSON.parse(body);
  } catch {
    return 'the body is not JSON';
  }
  if (payload?.type !== 'journey.step.webhook' || !payload?.data?.enrollment?.id || !payload?.data?.step?.id) {
    return 'the payload has no type journey.step.webhook, data.enrollment.id or data.step.id';
  }
  // one webhook-id per step of an enrollment, the same on every call of it, and no other's
  const id = String(headers['webhook-id']);
  const pair = `${payload.data.enrollment.id} ${payload.data.step.id}`;
  if ((idOfPair.get(pair) ?? id) !== id) return `enrollment and step ${pair} came with webhook-id ${idOfPair.get(pair)} before`;
  if ((pairOfId.get(id) ?? pair) !== pair) return `webhook-id used for ${pairOfId.get(id)} too`;
  idOfPair.set(pair, id);
  pairOfId.set(id, pair);
  if (refusedAt.has(id) && signed < refusedAt.get(id)) return 'a retry signed before the call it retries';
  return null;
}

function onCall(req, res, body) {
  stats.calls++;
  const id = String(req.headers['webhook-id'] ?? '');
  const problem = verify(body, req.headers);
  if (problem) return fail(`${id || '(no webhook-id)'}: ${problem}`, res);
  stats.verified++;
  const n = String(req.headers['webhook-signature'].split(' ').length);
  stats.signatures[n] = (stats.signatures[n] ?? 0) + 1;
  if (expected.failFirst > 0 && !seen.has(id) && !refused.has(id)) {
    expected.failFirst--;
    refused.add(id);
    refusedAt.set(id, Number.parseInt(String(req.headers['webhook-timestamp']), 10));
    stats.answered_503++;
    return res.writeHead(503, { 'content-type': 'text/plain' }).end('try again later');
  }
  if (refused.has(id) && !retriedVerified.has(id)) {
    retriedVerified.add(id);
    stats.retried_ids_verified++;
  }
  if (!seen.has(id)) {
    seen.add(id);
    stats.ids++;
  }
  res.writeHead(204).end();
}

function onControl(req, res, body) {
  if (req.method === 'GET' && req.url === '/_control/stats') {
    return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(stats));
  }
  if (req.method === 'PUT' && req.url === '/_control/expect') {
    try {
      const wanted = JSON.parse(body);
      expected = {
        secrets: wanted.secrets.map(({ secret, until }, i) => ({
          verifier: new Webhook(secret),
          // the service signs with a replaced secret while the claim time is before `until`;
          // webhook-timestamp is that time in whole seconds
          until: until === undefined ? undefined : Math.floor(Date.parse(until) / 1000),
          label: until === undefined ? `secret #${i + 1}` : `secret #${i + 1} (replaced, until ${until})`,
        })),
        retired: (wanted.retired ?? []).map((secret, i) => ({ verifier: new Webhook(secret), label: `retired secret #${i + 1}` })),
        failFirst: wanted.fail_first ?? 0,
      };
      return res.writeHead(204).end();
    } catch (e) {
      return res.writeHead(400, { 'content-type': 'text/plain' }).end(String(e.message));
    }
  }
  res.writeHead(404).end();
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    // the raw body, byte for byte as signed: no JSON round trip before verifying
    const body = Buffer.concat(chunks).toString('utf8');
    if (req.url.startsWith('/_control/')) return onControl(req, res, body);
    if (req.method !== 'POST') return res.writeHead(405).end();
    onCall(req, res, body);
  });
});
server.keepAliveTimeout = 65_000;
server.headersTimeout = 70_000;
// a large backlog: the runner opens up to a batch of connections at once
server.listen({ host: '127.0.0.1', port: 0, backlog: 4096 }, () => {
  writeFileSync(portFile, String(server.address().port));
});
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
