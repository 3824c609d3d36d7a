import { expect } from 'vitest';
import { AppError } from '../../../../src/domain/errors.ts';

/**
 * Run `fn`, which must throw an AppError BAD_REQUEST; return it. Fails the test if `fn` returned
 * anything (a partial result is exactly what a refusal must not produce) or threw something else.
 */
export function expectRefusal(fn: () => unknown): AppError {
  let returned: unknown;
  try {
    returned = fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('BAD_REQUEST');
    return err as AppError;
  }
  expect.fail(`expected a BAD_REQUEST refusal, got a result: ${String(returned)}`);
}

/** The `reason` and `where` an AppError from the candle parsers carries. */
export function refusalOf(err: AppError): { reason: unknown; where: unknown } {
  return { reason: err.details?.reason, where: err.details?.where };
}
