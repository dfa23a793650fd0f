/**
 * The tests' round-robin proxy as a process of its own, for the replicas benchmark: a load balancer is a
 * separate process in production too, and in the generator's process it would compete with the bursts.
 * Usage: node --import tsx bench/proxy-main.ts <target URL>…  (prints the port, stops on SIGTERM)
 */
import { startProxy } from '../tests/doubles/proxy.ts';

const proxy = await startProxy(process.argv.slice(2));
process.stdout.write(`${proxy.port}\n`);
process.once('SIGTERM', () => void proxy.close().then(() => process.exit(0)));
