/** Wallet withdrawals (`POST /sapi/v1/capital/withdraw/apply`), taken from the spot account's free balance. */
import { BinanceApiError, apiErrors } from './api-error.ts';
import type { SpotBook } from './spot-book.ts';

export interface LocalWithdrawal {
  id: string;
  coin: string;
  amount: number;
  address: string;
  network?: string;
  addressTag?: string;
  time: number;
}

/**
 * The local exchange's withdrawals. Like Binance: `coin`, `address` and `amount` are mandatory, the
 * amount leaves the free spot balance at once, and an allow-list (when set, as the venue's address
 * whitelist) refuses other addresses. The answer is `{ id }`.
 */
export class WithdrawalDesk {
  readonly done: LocalWithdrawal[] = [];
  /** Addresses withdrawals may go to (undefined: any). */
  allowList: Set<string> | undefined;
  private seq = 0;

  constructor(
    private readonly spot: SpotBook,
    private readonly now: () => number,
  ) {}

  apply(p: Record<string, string>): { id: string } {
    for (const k of ['coin', 'address', 'amount']) if (p[k] === undefined || p[k] === '') throw apiErrors.mandatory(k);
    const amount = Number(p.amount);
    if (!(amount > 0)) throw new BinanceApiError(400, -4003, 'Withdrawal amount must be positive.');
    if (this.allowList && !this.allowList.has(p.address!)) throw new BinanceApiError(400, -4007, 'Withdrawal address is not in the whitelist.');
    const b = this.spot.balance(p.coin!);
    if (b.free + 1e-12 < amount) throw new BinanceApiError(400, -4026, 'User has insufficient balance.');
    b.free -= amount;
    const id = `w${(++this.seq).toString(16).padStart(8, '0')}${this.now().toString(16)}`;
    this.done.push({ id, coin: p.coin!, amount, address: p.address!, network: p.network, addressTag: p.addressTag, time: this.now() });
    return { id };
  }
}
