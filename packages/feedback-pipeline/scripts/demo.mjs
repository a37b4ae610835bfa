// `npm run demo`: drives every flow of the running pipeline (started with `npm start`) and prints
// what happened: ids, counts, DLQ moves and alert emails. Talks to local-cloud on LOCAL_CLOUD_URL
// (default http://127.0.0.1:4566) through public interfaces only: HTTP, S3, SQS, Lambda, the outbox.

import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';

const base = process.env.LOCAL_CLOUD_URL ?? 'http://127.0.0.1:4566';
const config = { endpoint: base, region: 'us-east-1', credentials: { accessKeyId: 'demo', secretAccessKey: 'demo' } };
const say = (line = '') => process.stdout.write(`${line}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function eventually(check, ms = 30_000) {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > until) return undefined;
    await sleep(200);
  }
}

async function main() {
  const health = await fetch(`${base}/_local-cloud/health`).catch(() => undefined);
  if (!health?.ok) throw new Error(`local-cloud is not running at ${base}: start it with \`npm start\``);
  const { stacks } = await (await fetch(`${base}/_local-cloud/stacks`)).json();
  const out = stacks.find((s) => s.name === 'FeedbackPipeline')?.outputs;
  if (!out) throw new Error('The FeedbackPipeline stack is not deployed: run `npm start` first');
  const api = out.ApiUrl.replace(/\/$/, '');
  const post = (body) =>
    fetch(`${api}/feedback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const outboxCount = async () => (await (await fetch(`${base}/_local-cloud/outbox`)).json()).messages.length;
  const mailsBefore = await outboxCount();

  say('1. Intake: POST /feedback');
  const ids = [];
  for (const fb of [
    { rating: 5, message: 'Love the new dashboard', source: 'web', tags: ['dashboard'] },
    { rating: 1, message: 'The app crashes on login', email: 'sam@example.com', source: 'mobile' },
  ]) {
    const res = await post(fb);
    const { id } = await res.json();
    ids.push(id);
    say(`   ${res.status} rating ${fb.rating} → id ${id}`);
  }
  const bad = await post({ rating: 9, message: '' });
  say(`   ${bad.status} for bad input: ${JSON.stringify((await bad.json()).errors)}`);

  say('2. Storage: queue → store-feedback → DynamoDB');
  for (const id of ids) {
    const item = await eventually(async () => {
      const r = await fetch(`${api}/feedback/${id}`);
      return r.status === 200 ? r.json() : undefined;
    });
    say(`   ${id}: ${item ? `stored, status ${item.status}` : 'not stored yet'}`);
  }

  say('3. CRUD API');
  const list = await (await fetch(`${api}/feedback?status=new&limit=5`)).json();
  say(`   GET /feedback?status=new → ${list.items.length} items${list.nextToken ? ' (more pages)' : ''}`);
  const put = await fetch(`${api}/feedback/${ids[1]}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ status: 'in-progress' }),
  });
  say(`   PUT /feedback/${ids[1]} → ${put.status} ${(await put.json()).status}`);
  say(`   GET /feedback/does-not-exist → ${(await fetch(`${api}/feedback/does-not-exist`)).status}`);

  say('4. Bulk import: CSV → S3 → SNS → import-queue + audit-queue');
  const key = `imports/demo-${Date.now()}.csv`;
  const csv = 'rating,message,email\n4,Import works,a@example.com\n2,"Slow, very slow",b@example.com\n0,invalid row,\n';
  await new S3Client({ ...config, forcePathStyle: true }).send(
    new PutObjectCommand({ Bucket: out.ImportsBucketName, Key: key, Body: csv }),
  );
  say(`   uploaded s3://${out.ImportsBucketName}/${key} (2 valid rows, 1 invalid)`);
  const imported = await eventually(async () => {
    const r = await (await fetch(`${api}/feedback?limit=100`)).json();
    return r.items.filter((i) => i.source === 'import').length || undefined;
  });
  say(`   ${imported ?? 0} imported feedback items now readable through the API`);

  say('5. Failure path: a poison message → 3 receives → feedback-dlq → alarm → ops email');
  const sqs = new SQSClient(config);
  const depth = async (url) =>
    Number(
      (
        await sqs.send(
          new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }),
        )
      ).Attributes?.ApproximateNumberOfMessages ?? 0,
    );
  const advance = async (by) => {
    const res = await fetch(`${base}/_local-cloud/clock/advance?by=${by}`, { method: 'POST' });
    if (!res.ok) throw new Error(`cannot move local-cloud's clock: ${(await res.json()).message}`);
  };
  const dlqBefore = await depth(out.FeedbackDlqUrl);
  await sqs.send(new SendMessageCommand({ QueueUrl: out.FeedbackQueueUrl, MessageBody: '{not json' }));
  say('   sent a malformed message to feedback-queue');
  // Each failed receive hides the message for the 90 s visibility timeout: fast-forward the clock.
  for (let receive = 1; receive <= 3 && (await depth(out.FeedbackDlqUrl)) === dlqBefore; receive++) {
    await eventually(async () => (await depth(out.FeedbackQueueUrl)) === 0);
    await sleep(500);
    say(`   receive ${receive} failed; moving the clock past the visibility timeout (+91 s)`);
    await advance('91s');
  }
  const moved = await eventually(async () => (await depth(out.FeedbackDlqUrl)) > dlqBefore);
  say(
    `   ${moved ? 'moved to feedback-dlq after 3 receives' : 'not in the DLQ yet'} (depth ${await depth(out.FeedbackDlqUrl)})`,
  );
  await advance('2m');
  const alarm = await eventually(async () => {
    const { messages } = await (await fetch(`${base}/_local-cloud/outbox`)).json();
    return messages.slice(mailsBefore).find((m) => m.subject?.startsWith('ALARM'));
  });
  say(`   ${alarm ? `alarm email to ${alarm.endpoint}: ${alarm.subject}` : 'no alarm email yet'}`);

  say('6. Queue canary (invoked by hand)');
  const res = await new LambdaClient(config).send(
    new InvokeCommand({ FunctionName: out.QueueCanaryFunctionName, Payload: Buffer.from('{}') }),
  );
  say(`   ${Buffer.from(res.Payload ?? []).toString()}`);

  const mails = (await outboxCount()) - mailsBefore;
  say(`\nOutbox: ${mails} new message(s) (low-rating alerts, alarms). Read them with \`npx local-cloud outbox\`.`);
}

main().catch((err) => {
  process.stderr.write(`demo failed: ${err.message}\n`);
  process.exitCode = 1;
});
