import { describe, expect, it } from 'vitest';
import { MAX_CLOCK_SKEW_SECONDS, signatureProblem } from '../../../src/adapters/slack/signature.ts';
import { signSlackRequest } from '../../doubles/fake-slack.ts';

const SECRET = 'test-signing-secret';
const NOW = 1_700_000_000;
const BODY = 'command=%2Fask&text=RTO%20%EA%B0%80';

function signed(body = BODY, at = NOW, secret = SECRET) {
  const headers = signSlackRequest(secret, body, at);
  return { timestamp: headers['x-slack-request-timestamp'], signature: headers['x-slack-signature'], body: Buffer.from(body) };
}

describe('Slack request signature', () => {
  it("accepts Slack's v0 signature of the exact body, within five minutes either way", () => {
    expect(signatureProblem(SECRET, signed(), NOW)).toBeUndefined();
    expect(signatureProblem(SECRET, signed(BODY, NOW - MAX_CLOCK_SKEW_SECONDS), NOW)).toBeUndefined();
    expect(signatureProblem(SECRET, signed(BODY, NOW + MAX_CLOCK_SKEW_SECONDS), NOW)).toBeUndefined();
  });

  it('refuses a changed body, another secret, a truncated or missing signature', () => {
    expect(signatureProblem(SECRET, { ...signed(), body: Buffer.from(`${BODY}x`) }, NOW)).toBe('signature mismatch');
    expect(signatureProblem(SECRET, signed(BODY, NOW, 'another-secret'), NOW)).toBe('signature mismatch');
    const good = signed();
    expect(signatureProblem(SECRET, { ...good, signature: good.signature.slice(0, -1) }, NOW)).toBe('signature mismatch');
    expect(signatureProblem(SECRET, { ...good, signature: good.signature.replace('v0=', 'v1=') }, NOW)).toBe('signature mismatch');
    expect(signatureProblem(SECRET, { ...good, signature: undefined }, NOW)).toBe('missing signature headers');
  });

  it('refuses stale, future, malformed and missing timestamps, even when correctly signed', () => {
    expect(signatureProblem(SECRET, signed(BODY, NOW - MAX_CLOCK_SKEW_SECONDS - 1), NOW)).toBe('stale request timestamp');
    expect(signatureProblem(SECRET, signed(BODY, NOW + MAX_CLOCK_SKEW_SECONDS + 1), NOW)).toBe('request timestamp is in the future');
    expect(signatureProblem(SECRET, { ...signed(), timestamp: '17e8' }, NOW)).toBe('malformed request timestamp');
    expect(signatureProblem(SECRET, { ...signed(), timestamp: undefined }, NOW)).toBe('missing signature headers');
  });
});
