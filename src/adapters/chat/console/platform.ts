import type { ChatPlatformDescriptor } from '../platform-descriptor.ts';
import { CONSOLE_DESTINATION } from './console-alert-sender.ts';

/** The terminal: CONSOLE=true, or CONSOLE=auto and stdin is a terminal. Its operator is always admin. */
export const consolePlatform: ChatPlatformDescriptor<'console'> = {
  name: 'console',
  label: 'Console',
  fixedRole: 'admin',
  enabled: (config, env) => config.CONSOLE === 'true' || (config.CONSOLE === 'auto' && env.interactive),
  secrets: () => [],
  alertDestinations: () => [CONSOLE_DESTINATION],
  pacing: () => ({ minIntervalMs: 0 }),
  async create(ctx) {
    const { createConsoleChat } = await import('./console-chat.ts');
    const { createConsoleAlertSender } = await import('./console-alert-sender.ts');
    const c = createConsoleChat({ router: ctx.router, input: ctx.input, output: ctx.output, logger: ctx.logger, minEditIntervalMs: ctx.timing.minEditIntervalMs });
    return {
      sender: createConsoleAlertSender(ctx.output),
      deliver: (_chatId, reply) => c.deliver(reply),
      async start() {
        c.start();
      },
      stop: () => c.stop(),
    };
  },
};
