/** Reading a `/metrics` scrape in tests, through a real Prometheus text-format parser. */
import parsePrometheusTextFormat, { type MetricFamily } from 'parse-prometheus-text-format';

export { parsePrometheusTextFormat, type MetricFamily };

/** The value of the sample of metric `name` whose labels include `labels`; NaN when there is none. */
export function sampleValue(families: MetricFamily[], name: string, labels: Record<string, string> = {}): number {
  const sample = families.find((f) => f.name === name)?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  return Number(sample?.value ?? NaN);
}
