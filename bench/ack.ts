export interface AckFigures {
  requests: number;
  p50: number;
  p99: number;
  errors: number;
}

export async function benchSlackAck(_connections: number): Promise<AckFigures> {
  throw new Error('the Slack adapter is not wired into the benchmark yet');
}
