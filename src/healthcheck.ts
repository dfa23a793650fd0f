/** The container's HEALTHCHECK: exit 0 when /healthz answers 200 within two seconds. */
const port = process.env.HEALTH_PORT ?? process.env.PORT ?? '3000';
try {
  const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2000) });
  process.exit(response.ok ? 0 : 1);
} catch {
  process.exit(1);
}
