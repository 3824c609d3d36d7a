import { createInterface, type Interface } from 'node:readline';
import type { Caller } from '../../../../commands/command.ts';
import type { Reply } from '../../../../commands/reply.ts';
import type { CommandRouter } from '../../../../commands/router-types.ts';
import type { Logger } from '../../../logger.ts';
import { FollowUps } from '../follow-up.ts';
import { renderText } from '../render/text.ts';

export interface ConsoleChatOptions {
  router: CommandRouter;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  logger: Logger;
  /** Minimum time between two progress lines of one follow-up job. */
  minEditIntervalMs?: number;
  /** Prompt or not; default: whether `input` is a TTY. */
  interactive?: boolean;
  /** Ctrl-C at the prompt; default: re-raise SIGINT so the process shuts down as usual. */
  onInterrupt?: () => void;
}

export interface ConsoleChat {
  start(): void;
  stop(): Promise<void>;
  /** Resolves when the input ended and every line was answered (piped scripts, tests). */
  readonly done: Promise<void>;
  /** Write a reply outside any command (a result that finished after a restart). */
  deliver(reply: Reply): Promise<void>;
}

export const CONSOLE_PROMPT = 'tradeops> ';

/** The console operator: always admin (whoever holds the terminal already holds the process). */
export const CONSOLE_CALLER: Caller = { platform: 'console', userId: 'console', chatId: 'console', displayName: 'console' };

/**
 * The terminal as a chat: each line goes through the router as the console admin, answers are
 * rendered as plain text. Lines are answered one at a time in order, so output never interleaves;
 * `/confirm CODE` answers a confirmation like on any platform. Logs go to stderr, this to `output`.
 */
export function createConsoleChat(options: ConsoleChatOptions): ConsoleChat {
  const { router, output } = options;
  const log = options.logger.child({ component: 'console' });
  const interactive = options.interactive ?? Boolean((options.input as { isTTY?: boolean }).isTTY);
  let rl: Interface | undefined;
  let queue: Promise<void> = Promise.resolve();
  let stopped = false;
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  const followUps = new FollowUps(log, options.minEditIntervalMs ?? 1_000);

  const write = (text: string) => {
    if (!stopped) output.write(`${text}\n`);
  };
  const prompt = () => {
    if (interactive && rl && !stopped) rl.prompt();
  };

  const handleLine = async (line: string) => {
    const text = line.trim();
    if (!text) return;
    try {
      const reply = await router.handle({
        caller: CONSOLE_CALLER,
        text,
        progress: async (p) => write(`… ${p}`),
      });
      if (reply) write(renderText(reply));
      // Progress lines, then the result, of a follow-up job (a backtest) — the prompt stays usable.
      void followUps.show(reply, { edit: async (p) => write(`… ${renderText(p).replace(/\n/g, ' ')}`), send: async (r) => write(renderText(r)) });
    } catch (err) {
      // The router never throws; this guards the terminal against a broken renderer.
      log.error({ err }, 'console command failed');
      write('internal error — the details are in the log');
    }
  };

  return {
    done,
    start() {
      if (rl) return;
      rl = createInterface({ input: options.input, output: interactive ? output : undefined, terminal: interactive, prompt: CONSOLE_PROMPT });
      rl.on('line', (line) => {
        queue = queue.then(() => handleLine(line)).then(prompt);
      });
      rl.on('close', () => {
        void queue.then(() => resolveDone());
      });
      rl.on('SIGINT', () => (options.onInterrupt ? options.onInterrupt() : process.kill(process.pid, 'SIGINT')));
      prompt();
    },
    deliver: async (reply) => write(renderText(reply)),
    async stop() {
      await queue;
      await followUps.stop();
      stopped = true;
      rl?.close();
      rl = undefined;
      resolveDone();
    },
  };
}
