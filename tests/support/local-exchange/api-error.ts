/** A Binance error answer: HTTP status plus the `{ code, msg }` JSON body Binance sends. */
export class BinanceApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    msg: string,
  ) {
    super(msg);
    this.name = 'BinanceApiError';
  }

  body(): { code: number; msg: string } {
    return { code: this.code, msg: this.message };
  }
}

/** The error answers the local exchange produces, with Binance's codes and wording. */
export const apiErrors = {
  mandatory: (name: string) => new BinanceApiError(400, -1102, `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`),
  invalidSymbol: () => new BinanceApiError(400, -1121, 'Invalid symbol.'),
  invalidLimit: () => new BinanceApiError(400, -1130, "Data sent for parameter 'limit' is not valid."),
  invalidInterval: () => new BinanceApiError(400, -1120, 'Invalid interval.'),
  invalidOrderType: () => new BinanceApiError(400, -1116, 'Invalid orderType.'),
  invalidSide: () => new BinanceApiError(400, -1117, 'Invalid side.'),
  illegalClientOrderId: () =>
    new BinanceApiError(400, -1100, "Illegal characters found in parameter 'newClientOrderId'; legal range is '^[\\.A-Z\\:/a-z0-9_-]{1,36}$'."),
  filterFailure: (filter: string) => new BinanceApiError(400, -1013, `Filter failure: ${filter}`),
  insufficientBalance: () => new BinanceApiError(400, -2010, 'Account has insufficient balance for requested action.'),
  duplicateOrder: () => new BinanceApiError(400, -2010, 'Duplicate order sent.'),
  wouldTake: () => new BinanceApiError(400, -2010, 'Order would immediately match and take.'),
  unknownOrderCancel: () => new BinanceApiError(400, -2011, 'Unknown order sent.'),
  orderDoesNotExist: () => new BinanceApiError(400, -2013, 'Order does not exist.'),
  invalidKey: () => new BinanceApiError(401, -2015, 'Invalid API-key, IP, or permissions for action.'),
  keyFormat: () => new BinanceApiError(401, -2014, 'API-key format invalid.'),
  badSignature: () => new BinanceApiError(400, -1022, 'Signature for this request is not valid.'),
  recvWindow: () => new BinanceApiError(400, -1021, 'Timestamp for this request is outside of the recvWindow.'),
  notFound: () => new BinanceApiError(404, -1000, 'Not found.'),
  // futures
  marginInsufficient: () => new BinanceApiError(400, -2019, 'Margin is insufficient.'),
  reduceOnlyRejected: () => new BinanceApiError(400, -2022, 'ReduceOnly Order is rejected.'),
  duplicateClientOrderIdFutures: () => new BinanceApiError(400, -4116, 'ClientOrderId is duplicated.'),
  futuresNotional: (min: number) => new BinanceApiError(400, -4164, `Order's notional must be no smaller than ${min} (unless you choose reduce only).`),
  invalidLeverage: (lev: string) => new BinanceApiError(400, -4028, `Leverage ${lev} is not valid`),
} as const;
