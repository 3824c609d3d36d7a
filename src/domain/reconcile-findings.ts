/** What one reconciliation run found: storage compared with the exchange (src/engine/reconciler.ts). */
export interface ReconcileFindings {
  /** Orders settled from the venue (were not final in storage). */
  settled: number;
  /** Orders that filled (fully or partly) while tradeops was not watching. */
  filledOffline: string[];
  /** Orders the venue cancelled or expired. */
  closedOnExchange: string[];
  /** Open orders on the venue tradeops did not create: reported, never touched. */
  externalOrders: Array<{ clientOrderId: string; symbol: string; side: string; amount: number }>;
  /** Coins held beyond what tradeops bought: reported, never touched. */
  externalHoldings: Array<{ asset: string; amount: number }>;
  /** Swap positions the venue holds beyond (or opposite to) what tradeops' fills say: reported, never touched. */
  externalPositions?: Array<{ symbol: string; quantity: number }>;
  /** Positions cut to what the venue holds (sold or closed outside tradeops, liquidated). */
  adopted: Array<{ symbol: string; from: number; to: number }>;
  /** Quote balance changed outside tradeops: cash adopted from the venue. */
  cashAdopted?: { from: number; to: number };
  /** Symbols whose stored position differs from Σ fills after all of the above. */
  mismatches: Array<{ symbol: string; position: number; fills: number }>;
}
