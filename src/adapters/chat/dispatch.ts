import type { Reply } from '../../../commands/reply.ts';
import type { CommandRouter, InboundCommand } from '../../../commands/router-types.ts';
import { findCommand } from './command-lookup.ts';
import { createProgressReporter } from './progress-reporter.ts';

export interface SlowCommandHooks {
  /** Show the "⏳ queued…" message; called once, only if the command has not answered by then. */
  showInterim(): Promise<void>;
  /** Edit the interim with a progress line (called after showInterim). */
  editInterim(text: string): Promise<void>;
  /** Minimum time between two progress edits (platform edit limits). */
  minEditIntervalMs?: number;
}

export interface DispatchOptions {
  /**
   * How long a slow command may take before the interim is shown. A refusal (unknown user,
   * bad arguments) answers at once and so never shows a misleading "queued".
   */
  interimAfterMs?: number;
  /** Treat the command as slow regardless of its flag (e.g. a Discord answer running out of time). */
  forceSlow?: boolean;
}

export interface DispatchResult {
  reply: Reply | undefined;
  /** Whether the interim was shown (the final answer should replace it). */
  interimShown: boolean;
}

/**
 * Run one inbound command through the router. For commands marked `slow` the interim appears
 * after `interimAfterMs`, progress edits it (coalesced), and the final reply is returned for the
 * transport to put in its place.
 */
export async function dispatchCommand(
  router: CommandRouter,
  inbound: InboundCommand,
  hooks: SlowCommandHooks | undefined,
  options: DispatchOptions = {},
): Promise<DispatchResult> {
  const command = findCommand(router.commands, inbound.text);
  if (!hooks || !(command?.slow || options.forceSlow)) {
    return { reply: await router.handle(inbound), interimShown: false };
  }
  let interim: Promise<void> | undefined;
  const ensureInterim = () => (interim ??= hooks.showInterim());
  const reporter = createProgressReporter(async (text) => {
    await ensureInterim();
    await hooks.editInterim(text);
  }, hooks.minEditIntervalMs ?? 1_000);
  const handled = router.handle({ ...inbound, progress: (text) => reporter.report(text) });
  let timer: NodeJS.Timeout | undefined;
  const early = await Promise.race([
    handled.then(
      () => true,
      () => true,
    ),
    new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), options.interimAfterMs ?? 300);
    }),
  ]);
  clearTimeout(timer);
  if (!early) await ensureInterim().catch(() => {});
  try {
    const reply = await handled;
    return { reply, interimShown: interim !== undefined };
  } finally {
    await reporter.finish();
    if (interim) await interim.catch(() => {});
  }
}
