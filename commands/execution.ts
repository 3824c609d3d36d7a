import type { AuditDecision } from '../src/ports/chat-store.ts';
import type { Reply } from './reply.ts';

/** What running a command produced: the answer, and how the audit log records it. */
export interface Execution {
  reply: Reply;
  decision: AuditDecision;
  /** One line for the audit log. */
  result: string;
}
