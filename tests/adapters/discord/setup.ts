/** Shared wiring for the Discord end-to-end tests: the real bot over the shipped notes, a capturing logger. */

export { capturingLogger, realBot, sleep, until, type CapturedLog } from '../../helpers.ts';

